package dev.migdiff.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.migdiff.django.DjangoConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The merge migration's name per Django version (makemigrations.py, handle_merge). */
class MergePreviewTest {
  private static DjangoConfig django(String version) {
    return new DjangoConfig(null, null, Map.of(), Map.of(), null, version);
  }

  @Test
  void leafNamesSinceDjango32() {
    assertEquals("0004_merge_0002_b_0003_c",
        MergePreview.name(List.of("0003_c", "0002_b"), django("3.2")));
  }

  @Test
  void timestampBefore32AndWhenTheNamesAreLong() {
    assertEquals("0004_merge_YYYYMMDD_HHMM", MergePreview.name(List.of("0002_b", "0003_c"), django("3.1")));
    assertEquals("0004_merge_YYYYMMDD_HHMM", MergePreview.name(
        List.of("0003_a_rather_long_migration_name", "0002_another_long_one"), django("5.2")));
    assertEquals("0003_merge", MergePreview.name(List.of("0002_b", "0002_c"), django("1.9")));
  }

  @Test
  void squashedNumbersCountSince41() {
    List<String> leaves = List.of("0001_squashed_0007_x", "0005_y");
    assertEquals("0008_merge_0001_squashed_0007_x_0005_y", MergePreview.name(leaves, django("4.1")));
    assertEquals("0006_merge_0001_squashed_0007_x_0005_y", MergePreview.name(leaves, django("4.0")));
  }

  @Test
  void noNumbersGives0002() {
    assertEquals("0002_merge_a_b", MergePreview.name(List.of("b", "a"), django("5.2")));
  }
}
