package dev.migdiff.django;

import dev.migdiff.python.Position;
import java.util.List;
import java.util.Map;

/** A value known statically: what migdiff evaluates expressions of settings and migrations to. */
public sealed interface PyValue {
  record Str(String value) implements PyValue {}

  /** A list or tuple; items keep the position of the expression they came from. */
  record Seq(List<Item> items, boolean tuple) implements PyValue {}

  record Item(PyValue value, Position pos) {}

  record Dict(Map<PyValue, PyValue> entries) implements PyValue {}

  record Bool(boolean value) implements PyValue {}

  record Num(String text) implements PyValue {}

  /** Python's {@code None}. */
  enum None implements PyValue { NONE }

  /** {@code migrations.swappable_dependency(value)}: {@code (label, "__first__")}. */
  record Swappable(String setting, String value) implements PyValue {}

  /** A module, class or function object imported from outside: usable only by name. */
  record Opaque(String dotted) implements PyValue {}
}
