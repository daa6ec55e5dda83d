package dev.migdiff.django;

import dev.migdiff.python.Expr;
import java.util.List;
import java.util.function.Supplier;

/**
 * A migration's operations (parsed when first asked for, by {@code parse}) and what is decoded
 * from them once per migration: the field effects that every reversibility or deploy-safety
 * check of a descendant walks again ({@link FieldState#apply(Migration)}). The hook's resident
 * process keeps migrations between runs, so a switch does not decode its ancestors again.
 */
final class OperationSource implements Supplier<List<Expr>> {
  /** Operations that can say which models they touch without being parsed or decoded. */
  interface Indexed extends Supplier<List<Expr>> {
    /** The lower-case names of the models whose fields the operations touch; null: unknown. */
    List<String> effectModels();

    /**
     * The operations for one use: those already read when they were, else read without keeping
     * them (a walk needs only what {@link FieldState#effectsOf} keeps of them).
     */
    default List<Expr> once() {
      return get();
    }
  }

  private final Supplier<List<Expr>> parse;
  private volatile List<FieldState.Effect> effects;

  private OperationSource(Supplier<List<Expr>> parse) {
    this.parse = parse;
  }

  static Supplier<List<Expr>> of(Supplier<List<Expr>> parse) {
    return parse instanceof OperationSource ? parse : new OperationSource(parse);
  }

  @Override
  public List<Expr> get() {
    return parse.get();
  }

  /** The field effects of every operation, in order (computed once; a race computes it twice). */
  List<FieldState.Effect> effects() {
    List<FieldState.Effect> e = effects;
    if (e == null) {
      // The effects keep the field definitions; the rest of the operations' trees are not kept
      // for a walk over thousands of ancestors (most are never asked for whole).
      e = FieldState.effectsOf(parse instanceof Indexed indexed ? indexed.once() : get());
      effects = e;
    }
    return e;
  }

  /** Whether the field effects are known (decoded already). */
  boolean decoded() {
    return effects != null;
  }

  /**
   * Whether {@link #touches} would parse or decode the operations: their effects are not known
   * yet and the store's index does not answer for them.
   */
  boolean unread() {
    return effects == null && !(parse instanceof Indexed indexed && indexed.effectModels() != null);
  }

  /**
   * Whether a field effect touches one of {@code models} (lower-case names): asked of the
   * store's index first, so a walk passes the migrations of other models without decoding them.
   */
  boolean touches(java.util.Set<String> models) {
    List<String> known = effects == null && parse instanceof Indexed indexed
        ? indexed.effectModels() : null;
    if (known != null) {
      return known.stream().anyMatch(models::contains);
    }
    for (FieldState.Effect e : effects()) {
      if (models.contains(e.model())) {
        return true;
      }
    }
    return false;
  }
}
