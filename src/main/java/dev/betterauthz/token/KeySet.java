package dev.betterauthz.token;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable set of verification keys, indexed by {@code kid}. A key without a {@code kid} is
 * only usable when it is the set's only key (see {@link #soleKey()}).
 */
public final class KeySet {
  /** No keys: every token is refused with {@code UNKNOWN_KEY}. */
  public static final KeySet EMPTY = new KeySet(List.of());

  private final List<VerificationKey> all;
  private final Map<String, VerificationKey> byKid;

  private KeySet(List<VerificationKey> keys) {
    Map<String, VerificationKey> index = new LinkedHashMap<>();
    for (VerificationKey key : keys) {
      // NOTE: a duplicated kid keeps its first key, as a JWKS consumer cannot tell them apart.
      key.kid().ifPresent(kid -> index.putIfAbsent(kid, key));
    }
    this.all = List.copyOf(keys);
    this.byKid = Map.copyOf(index);
  }

  /** A key set holding these keys, in order. */
  public static KeySet of(List<VerificationKey> keys) {
    return keys.isEmpty() ? EMPTY : new KeySet(keys);
  }

  /** The key with this {@code kid}. */
  public Optional<VerificationKey> find(String kid) {
    return Optional.ofNullable(byKid.get(kid));
  }

  /** The only key, when the set holds exactly one (the case where a token may omit its kid). */
  public Optional<VerificationKey> soleKey() {
    return all.size() == 1 ? Optional.of(all.get(0)) : Optional.empty();
  }

  /** True when this set still holds a key equal to {@code key} under the same {@code kid}. */
  public boolean holds(VerificationKey key) {
    Optional<VerificationKey> current = key.kid().isPresent() ? find(key.kid().get()) : soleKey();
    return current.isPresent() && current.get().sameAs(key);
  }

  public List<VerificationKey> all() {
    return all;
  }

  public int size() {
    return all.size();
  }

  public boolean isEmpty() {
    return all.isEmpty();
  }
}
