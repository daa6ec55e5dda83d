package dev.migdiff.python;

import java.util.List;

/** Temporary stub; replaced by the real parser. */
public final class PythonParser {
  private PythonParser() {}

  public static Module parse(byte[] source) {
    return new Module(List.of(), List.of());
  }
}
