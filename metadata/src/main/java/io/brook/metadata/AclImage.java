package io.brook.metadata;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The ACLs of the image, in {@link Acl#ORDER}, with an index that finds the ACLs whose pattern
 * matches a resource without scanning them all: per resource type, LITERAL ACLs by name (the
 * wildcard {@code *} among them) and PREFIXED ACLs by prefix, with the distinct prefix lengths, so a
 * lookup costs one hash probe per literal bucket plus one per distinct prefix length no longer than
 * the name: O(distinct prefix lengths), independent of the number of ACLs.
 *
 * <p>Immutable and thread-safe; built once per image change that touches ACLs (O(n)) and shared by
 * every image until the next such change, so a holder may compare instances to see a change.
 */
public final class AclImage {

    public static final AclImage EMPTY = new AclImage(new TreeSet<>(Acl.ORDER));

    private final NavigableSet<Acl> acls;
    private final Map<ResourceType, ResourceIndex> index = new EnumMap<>(ResourceType.class);

    /** Takes ownership of {@code acls}. */
    private AclImage(TreeSet<Acl> acls) {
        this.acls = Collections.unmodifiableNavigableSet(acls);
        for (Acl acl : acls) {
            index.computeIfAbsent(acl.resourceType(), type -> new ResourceIndex()).add(acl);
        }
        index.values().forEach(ResourceIndex::freeze);
    }

    /** Every ACL, in {@link Acl#ORDER}. */
    public NavigableSet<Acl> acls() {
        return acls;
    }

    public int size() {
        return acls.size();
    }

    public boolean isEmpty() {
        return acls.isEmpty();
    }

    public boolean contains(Acl acl) {
        return acls.contains(acl);
    }

    /** The ACLs that kafka-clients' {@code filter} matches (Kafka's DescribeAcls/DeleteAcls), in order. O(n). */
    public List<Acl> matching(AclBindingFilter filter) {
        Objects.requireNonNull(filter, "filter");
        List<Acl> result = new ArrayList<>();
        for (Acl acl : acls) {
            if (filter.matches(acl.toBinding())) {
                result.add(acl);
            }
        }
        return result;
    }

    /**
     * Hands {@code visitor} every ACL whose resource pattern matches resource {@code resourceName}
     * of {@code resourceType} (LITERAL equal, LITERAL {@code *}, or PREFIXED a prefix of the name),
     * whatever its principal, host, operation and permission, until the visitor returns false.
     *
     * @return false if the visitor stopped the walk
     */
    public boolean forEachMatching(ResourceType resourceType, String resourceName, Predicate<Acl> visitor) {
        Objects.requireNonNull(resourceName, "resourceName");
        ResourceIndex resources = index.get(resourceType);
        return resources == null || resources.forEachMatching(resourceName, visitor);
    }

    /** The ACLs {@link #forEachMatching} visits, as a list (for tests and descriptions). */
    public List<Acl> matchingResource(ResourceType resourceType, String resourceName) {
        List<Acl> result = new ArrayList<>();
        forEachMatching(resourceType, resourceName, result::add);
        return result;
    }

    /** A mutable copy for {@link MetadataImageBuilder} (O(n): the set is already sorted). */
    TreeSet<Acl> toDraft() {
        return new TreeSet<>(acls);
    }

    /** Freezes a builder's draft into an image with its index. */
    static AclImage of(TreeSet<Acl> draft) {
        return draft.isEmpty() ? EMPTY : new AclImage(draft);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AclImage that && acls.equals(that.acls);
    }

    @Override
    public int hashCode() {
        return acls.hashCode();
    }

    @Override
    public String toString() {
        return "AclImage(" + acls.size() + " acls)";
    }

    /** The ACLs of one resource type, by literal name and by prefix. */
    private static final class ResourceIndex {
        private final Map<String, List<Acl>> literal = new HashMap<>();
        private final Map<String, List<Acl>> prefixed = new HashMap<>();
        private int[] prefixLengths;

        void add(Acl acl) {
            Map<String, List<Acl>> byName = acl.patternType() == PatternType.LITERAL ? literal : prefixed;
            byName.computeIfAbsent(acl.resourceName(), name -> new ArrayList<>()).add(acl);
        }

        void freeze() {
            literal.replaceAll((name, list) -> List.copyOf(list));
            prefixed.replaceAll((name, list) -> List.copyOf(list));
            prefixLengths = prefixed.keySet().stream().mapToInt(String::length).distinct().sorted().toArray();
        }

        boolean forEachMatching(String name, Predicate<Acl> visitor) {
            if (!visit(literal.get(name), visitor)) {
                return false;
            }
            if (!name.equals(Acl.WILDCARD_RESOURCE) && !visit(literal.get(Acl.WILDCARD_RESOURCE), visitor)) {
                return false;
            }
            for (int length : prefixLengths) {
                if (length > name.length()) {
                    break;
                }
                String prefix = length == name.length() ? name : name.substring(0, length);
                if (!visit(prefixed.get(prefix), visitor)) {
                    return false;
                }
            }
            return true;
        }

        private static boolean visit(List<Acl> bucket, Predicate<Acl> visitor) {
            if (bucket != null) {
                for (Acl acl : bucket) {
                    if (!visitor.test(acl)) {
                        return false;
                    }
                }
            }
            return true;
        }
    }
}
