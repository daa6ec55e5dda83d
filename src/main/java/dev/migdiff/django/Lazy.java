package dev.migdiff.django;

import java.util.function.Supplier;

/** A value computed once, on first use (operations are parsed only when an analysis asks). */
final class Lazy<T> implements Supplier<T> {
  private Supplier<T> compute;
  private T value;

  Lazy(Supplier<T> compute) {
    this.compute = compute;
  }

  @Override
  public synchronized T get() {
    if (compute != null) {
      value = compute.get();
      compute = null;
    }
    return value;
  }
}
