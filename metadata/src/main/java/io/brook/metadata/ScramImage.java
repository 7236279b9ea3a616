package io.brook.metadata;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;

/**
 * The SCRAM credentials of the image: for each user name (in name order), its credential per
 * mechanism. A user exists while it has at least one credential. Immutable; an image change that
 * touches no credential keeps the same instance.
 */
public final class ScramImage {

    public static final ScramImage EMPTY = new ScramImage(Collections.emptySortedMap());

    private final SortedMap<String, Map<ScramMechanism, UserScramCredential>> users;

    /** Takes ownership of {@code users}, whose inner maps must be unmodifiable and non-empty. */
    private ScramImage(SortedMap<String, Map<ScramMechanism, UserScramCredential>> users) {
        this.users = users;
    }

    /** User {@code name}'s credential for {@code mechanism}. */
    public Optional<UserScramCredential> credential(String name, ScramMechanism mechanism) {
        Map<ScramMechanism, UserScramCredential> credentials = users.get(name);
        return credentials == null ? Optional.empty() : Optional.ofNullable(credentials.get(mechanism));
    }

    /** User {@code name}'s credentials by mechanism (empty if the user has none). */
    public Map<ScramMechanism, UserScramCredential> credentials(String name) {
        return users.getOrDefault(name, Map.of());
    }

    /** The users with at least one credential, in name order. */
    public List<String> userNames() {
        return List.copyOf(users.keySet());
    }

    public boolean contains(String name) {
        return users.containsKey(name);
    }

    /** The number of credentials (users times their mechanisms). */
    public int credentialCount() {
        return users.values().stream().mapToInt(Map::size).sum();
    }

    public boolean isEmpty() {
        return users.isEmpty();
    }

    /** A mutable copy for {@link MetadataImageBuilder}. */
    Draft toDraft() {
        return new Draft(new TreeMap<>(users));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ScramImage that && users.equals(that.users);
    }

    @Override
    public int hashCode() {
        return users.hashCode();
    }

    /** Names and mechanisms only: no keys in logs. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("ScramImage(");
        users.forEach((name, credentials) -> out.append(name).append('=').append(
            credentials.keySet().stream().map(ScramMechanism::mechanismName).toList()).append(' '));
        return out.toString().trim() + ")";
    }

    /** The credentials being changed by one builder; {@link #build()} freezes them. */
    static final class Draft {
        private final TreeMap<String, Map<ScramMechanism, UserScramCredential>> users;

        private Draft(TreeMap<String, Map<ScramMechanism, UserScramCredential>> users) {
            this.users = users;
        }

        boolean contains(String name, ScramMechanism mechanism) {
            Map<ScramMechanism, UserScramCredential> credentials = users.get(name);
            return credentials != null && credentials.containsKey(mechanism);
        }

        void put(UserScramCredential credential) {
            EnumMap<ScramMechanism, UserScramCredential> copy = copyOf(credential.name());
            copy.put(credential.mechanism(), credential);
            users.put(credential.name(), Collections.unmodifiableMap(copy));
        }

        void remove(String name, ScramMechanism mechanism) {
            EnumMap<ScramMechanism, UserScramCredential> copy = copyOf(name);
            copy.remove(mechanism);
            if (copy.isEmpty()) {
                users.remove(name);
            } else {
                users.put(name, Collections.unmodifiableMap(copy));
            }
        }

        ScramImage build() {
            return users.isEmpty() ? EMPTY : new ScramImage(Collections.unmodifiableSortedMap(users));
        }

        private EnumMap<ScramMechanism, UserScramCredential> copyOf(String name) {
            EnumMap<ScramMechanism, UserScramCredential> copy = new EnumMap<>(ScramMechanism.class);
            copy.putAll(users.getOrDefault(name, Map.of()));
            return copy;
        }
    }
}
