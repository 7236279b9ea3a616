package io.brook.metadata;

import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** Shape checks shared by the metadata records' constructors; they throw IllegalArgumentException. */
final class RecordChecks {

    private RecordChecks() {
    }

    static int nodeId(int nodeId, String what) {
        if (nodeId < 0) {
            throw new IllegalArgumentException(what + " must be a node id >= 0, was " + nodeId);
        }
        return nodeId;
    }

    static int leader(int leader) {
        if (leader < -1) {
            throw new IllegalArgumentException("leader must be a node id or -1, was " + leader);
        }
        return leader;
    }

    static long nonNegative(long value, String what) {
        if (value < 0) {
            throw new IllegalArgumentException(what + " must be >= 0, was " + value);
        }
        return value;
    }

    static String name(String name, String what) {
        Objects.requireNonNull(name, what);
        if (name.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        return name;
    }

    /** An immutable copy of a list of distinct node ids (null elements are refused by the copy). */
    static List<Integer> nodeIds(List<Integer> ids, String what) {
        Objects.requireNonNull(ids, what);
        List<Integer> copy = List.copyOf(ids);
        if (new HashSet<>(copy).size() != copy.size()) {
            throw new IllegalArgumentException(what + " has duplicates: " + copy);
        }
        for (int id : copy) {
            nodeId(id, what + " member");
        }
        return copy;
    }

    /** Per-replica directory ids: none (unknown) or one per replica, each a directory id or empty (unknown). */
    static List<String> directories(List<String> directories, List<Integer> replicas) {
        Objects.requireNonNull(directories, "directories");
        List<String> copy = List.copyOf(directories);
        if (!copy.isEmpty() && copy.size() != replicas.size()) {
            throw new IllegalArgumentException("directories " + copy + " must be empty or one per replica " + replicas);
        }
        return copy;
    }

    /** An immutable, key-ordered copy (ordered so that toString and JSON are stable). */
    static Map<String, String> configs(Map<String, String> configs, String what) {
        Objects.requireNonNull(configs, what);
        TreeMap<String, String> copy = new TreeMap<>();
        for (Map.Entry<String, String> entry : configs.entrySet()) {
            copy.put(Objects.requireNonNull(entry.getKey(), what + " key"),
                Objects.requireNonNull(entry.getValue(), what + " value of " + entry.getKey()));
        }
        return Collections.unmodifiableMap(copy);
    }

    /** A copy of {@code bytes}, {@code min} to {@code max} long. */
    static byte[] bytes(byte[] bytes, String what, int min, int max) {
        Objects.requireNonNull(bytes, what);
        if (bytes.length < min || bytes.length > max) {
            throw new IllegalArgumentException(what + " must be " + (min == max ? min : min + ".." + max)
                + " bytes, was " + bytes.length);
        }
        return bytes.clone();
    }
}
