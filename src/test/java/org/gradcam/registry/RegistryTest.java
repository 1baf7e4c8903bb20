package org.gradcam.registry;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.auto.service.AutoService;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.gradcam.cam.CamMethods;
import org.gradcam.cam.MapMethod;
import org.gradcam.cam.SaliencyMethod;
import org.gradcam.model.BuiltInModel;
import org.gradcam.model.Models;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RegistryTest {
  /**
   * The listing order the committed results were written in (benchmark rows, serve latency by
   * method, help texts): the registries, derived from the classes, must keep it.
   */
  @Test
  void listsInTheCommittedResultsOrder() {
    assertThat(CamMethods.names()).containsExactly("gradcam", "gradcam++", "xgradcam",
        "hirescam", "layercam", "eigencam", "counterfactual", "scorecam");
    assertThat(CamMethods.saliencyNames()).containsExactly("guidedbackprop", "guidedgradcam");
    assertThat(CamMethods.names().get(0)).isEqualTo(CamMethods.DEFAULT);
    assertThat(Models.NAMES).containsExactly("squeezenet1.1", "vgg16", "mobilenet_v2");
  }

  /** A class that is one of the kinds but forgot to register would be silently missing. */
  @ParameterizedTest
  @ValueSource(classes = {MapMethod.class, SaliencyMethod.class, BuiltInModel.Provider.class})
  void everyConcreteImplementationIsRegistered(Class<?> kind) {
    classes().that().implement(kind).and().doNotHaveModifier(JavaModifier.ABSTRACT)
        .and().areNotInterfaces().should().beAnnotatedWith(AutoService.class)
        .check(new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.gradcam"));
  }

  @Test
  void eachCallMakesANewInstance() {
    assertThat(CamMethods.byName("scorecam")).isNotSameAs(CamMethods.byName("scorecam"));
  }

  @Test
  void aKindWithNothingRegisteredIsAClearError() {
    assertThatThrownBy(() -> Registry.of(Runnable.class)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no Runnable is registered");
  }
}
