package org.gradcam.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading files NumPy wrote (src/test/python/make_npy_fixtures.py), every dtype and byte order. */
class NpyTest {
  static final Path DIR = Path.of("src/test/resources/org/gradcam/data/npy");

  @ParameterizedTest
  @ValueSource(strings = {"le_f4", "be_f4", "le_f8", "be_f8"})
  void floatsOfEveryWidthAndByteOrder(String name) throws IOException {
    Npy npy = Npy.read(DIR.resolve(name + ".npy"));
    assertThat(npy.shape()).containsExactly(2, 3);
    // 3e-8 is the one value float32 cannot hold exactly: each file holds its own width's value.
    double small = name.endsWith("f4") ? (double) 3.0e-8f : 3.0e-8;
    assertThat(npy.values()).containsExactly(1.5, -2.0, small, 65504.0, -0.0, 7.0);
    assertThat(npy.floats()).containsExactly(1.5f, -2.0f, 3.0e-8f, 65504.0f, -0.0f, 7.0f);
  }

  @ParameterizedTest
  @ValueSource(strings = {"le_i4", "be_i4", "le_i8", "i1"})
  void signedIntegers(String name) throws IOException {
    assertThat(Npy.read(DIR.resolve(name + ".npy")).values())
        .containsExactly(1, -2, 3, 100, 0, 7);
  }

  @Test
  void unsignedBytesAreNotSignExtended() throws IOException {
    assertThat(Npy.read(DIR.resolve("u1.npy")).values()).containsExactly(1, 254, 3, 100, 0, 255);
  }

  @Test
  void eachCallReturnsAFreshArray() throws IOException {
    Npy npy = Npy.read(DIR.resolve("le_f4.npy"));
    npy.floats()[0] = 99;
    npy.values()[0] = 99;
    assertThat(npy.floats()[0]).isEqualTo(1.5f);
    assertThat(npy.values()[0]).isEqualTo(1.5);
  }

  @Test
  void writtenFloat32ReadsBack(@TempDir Path tmp) throws IOException {
    Path f = tmp.resolve("x.npy");
    Npy.writeFloat32(f, new float[] {0.25f, -1e30f, Float.MIN_VALUE, 4}, 2, 2);
    Npy back = Npy.read(f);
    assertThat(back.shape()).containsExactly(2, 2);
    assertThat(back.floats()).containsExactly(0.25f, -1e30f, Float.MIN_VALUE, 4);
  }

  @Test
  void truncatedDataIsAnError(@TempDir Path tmp) throws IOException {
    byte[] whole = Files.readAllBytes(DIR.resolve("le_f8.npy"));
    Path cut = tmp.resolve("cut.npy");
    Files.write(cut, java.util.Arrays.copyOf(whole, whole.length - 3));
    assertThatThrownBy(() -> Npy.read(cut)).isInstanceOf(IOException.class)
        .hasMessageContaining("truncated");
  }

  @ParameterizedTest
  @CsvSource({"le_f4, FLOAT32", "be_f4, FLOAT32", "le_f8, FLOAT64", "be_f8, FLOAT64",
      "le_i4, INT32", "be_i4, INT32", "le_i8, INT64", "u1, UINT8", "i1, INT8"})
  void exposesTheDtypeNumPyWrote(String name, Npy.Dtype dtype) throws IOException {
    // make_npy_fixtures.py names each file after the dtype it passed to np.save.
    assertThat(Npy.read(DIR.resolve(name + ".npy")).dtype()).isEqualTo(dtype);
    assertThat(dtype.code()).isEqualTo(name.substring(name.length() - 2));
  }

  @Test
  void anUnsupportedDtypeIsAnErrorNamingIt(@TempDir Path tmp) throws IOException {
    // le_i4.npy with its header's '<i4' changed to '<i2' (int16): same header length.
    byte[] bytes = Files.readAllBytes(DIR.resolve("le_i4.npy"));
    String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
    Path i2 = Files.write(tmp.resolve("i2.npy"), text.replace("'<i4'", "'<i2'")
        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    assertThatThrownBy(() -> Npy.read(i2)).isInstanceOf(IOException.class)
        .hasMessageContaining("unsupported dtype i2");
  }
}
