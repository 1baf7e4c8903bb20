package org.gradcam.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.util.List;
import org.gradcam.cam.Explanation;
import org.gradcam.cam.Heatmap;
import org.junit.jupiter.api.Test;

class ResultStoreTest {
  static Explained result(String id, int width, int height) {
    Explanation e = new Explanation(0, 1, new float[10], new Heatmap(2, 3, new float[6]));
    return new Explained(id, new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB), null,
        List.of(new Explained.Map(e, null)));
  }

  @Test
  void sizeIsTheImageAndTheMapsInBytes() {
    // 4 bytes per RGB pixel, per map value and per logit: 4 * (10*5 + 6 + 10).
    assertThat(ResultStore.sizeOf(result("a", 10, 5))).isEqualTo(264);
  }

  @Test
  void keepsTheMostRecentlyUsedWithinCountAndBytes() {
    ResultStore store = new ResultStore(3, 1_000_000);
    for (String id : List.of("a", "b", "c")) {
      store.put(result(id, 10, 10));
    }
    store.get("a"); // used: now b is the least recently used
    store.put(result("d", 10, 10));
    assertThat(store.size()).isEqualTo(3);
    assertThat(store.get("a").id()).isEqualTo("a");
    assertThatThrownBy(() -> store.get("b")).isInstanceOf(ApiError.class)
        .hasMessageContaining("no result 'b'");
    assertThat(store.bytes()).isEqualTo(3 * ResultStore.sizeOf(result("x", 10, 10)));

    // Byte budget: two 100x100 images (40 KB each) do not fit in 60 KB; the newest stays.
    ResultStore small = new ResultStore(10, 60_000);
    small.put(result("p", 100, 100));
    small.put(result("q", 100, 100));
    assertThat(small.size()).isEqualTo(1);
    assertThat(small.get("q").id()).isEqualTo("q");
    assertThat(small.bytes()).isEqualTo(ResultStore.sizeOf(result("q", 100, 100)));
    // One result alone over the budget is still kept (its page re-renders from it).
    small.put(result("huge", 1000, 1000));
    assertThat(small.size()).isEqualTo(1);
    assertThat(small.get("huge").id()).isEqualTo("huge");
  }
}
