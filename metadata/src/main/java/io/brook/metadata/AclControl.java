package io.brook.metadata;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiError;

/**
 * ACL requests, as Kafka's CreateAcls and DeleteAcls (KRaft's {@code AclControlManager}): each
 * binding or filter of a request is answered on its own (an {@link ApiError} per binding, an
 * {@link AclDeletion} per filter), so one bad entry does not refuse the others.
 *
 * <ul>
 *   <li>Create: a binding Brook cannot hold (see {@link Acl}) is INVALID_REQUEST with Kafka's
 *       message; one that exists already, or earlier in the same request, succeeds without a record.</li>
 *   <li>Delete: a filter with an UNKNOWN field is INVALID_REQUEST; otherwise every ACL it matches
 *       (kafka-clients' {@link AclBindingFilter#matches}: ANY fields, MATCH patterns) is removed,
 *       each once even if several filters match it.</li>
 * </ul>
 * Stateless; controller thread only.
 */
final class AclControl {

    /** Most ACLs the cluster holds (every broker indexes them all). A named bound, not yet a config key. */
    static final int MAX_ACLS = 100_000;
    /** Most bindings or filters in one request. */
    static final int MAX_PER_REQUEST = 1_000;

    ControllerResult<List<ApiError>> create(MetadataImage image, List<AclBinding> bindings) {
        requireBounded(bindings, "bindings");
        List<MetadataRecord> records = new ArrayList<>();
        List<ApiError> results = new ArrayList<>(bindings.size());
        Set<Acl> added = new HashSet<>();
        for (AclBinding binding : bindings) {
            Acl acl;
            try {
                acl = toAcl(binding);
            } catch (InvalidRequestException e) {
                results.add(new ApiError(Errors.INVALID_REQUEST, e.getMessage()));
                continue;
            }
            if (image.acls().contains(acl) || added.contains(acl)) {
                results.add(ApiError.NONE);
            } else if (image.acls().size() + added.size() >= MAX_ACLS) {
                results.add(ApiError.fromThrowable(new PolicyViolationException("The cluster already holds "
                    + MAX_ACLS + " ACLs, the most it may hold")));
            } else {
                added.add(acl);
                records.add(new CreateAcl(acl));
                results.add(ApiError.NONE);
            }
        }
        return ControllerResult.of(records, results);
    }

    ControllerResult<List<AclDeletion>> delete(MetadataImage image, List<AclBindingFilter> filters) {
        requireBounded(filters, "filters");
        List<MetadataRecord> records = new ArrayList<>();
        List<AclDeletion> results = new ArrayList<>(filters.size());
        Set<Acl> removed = new HashSet<>();
        for (AclBindingFilter filter : filters) {
            String problem = filterProblem(filter);
            if (problem != null) {
                results.add(AclDeletion.failed(new ApiError(Errors.INVALID_REQUEST, problem)));
                continue;
            }
            List<Acl> deleted = new ArrayList<>();
            for (Acl acl : image.acls().matching(filter)) {
                if (removed.add(acl)) {
                    deleted.add(acl);
                    records.add(new RemoveAcl(acl));
                }
            }
            results.add(new AclDeletion(ApiError.NONE, deleted));
        }
        return ControllerResult.of(records, results);
    }

    private static Acl toAcl(AclBinding binding) {
        if (binding == null) {
            throw new InvalidRequestException("ACL binding is missing");
        }
        String problem = Acl.problem(binding.pattern().resourceType(), binding.pattern().name(),
            binding.pattern().patternType(), binding.entry().principal(), binding.entry().host(),
            binding.entry().operation(), binding.entry().permissionType());
        if (problem != null) {
            throw new InvalidRequestException(problem);
        }
        return Acl.of(binding);
    }

    private static String filterProblem(AclBindingFilter filter) {
        if (filter == null) {
            return "ACL filter is missing";
        }
        if (filter.patternFilter().isUnknown()) {
            return "Unknown patternFilter.";
        }
        if (filter.entryFilter().isUnknown()) {
            return "Unknown entryFilter.";
        }
        return null;
    }

    private static void requireBounded(List<?> entries, String what) {
        if (entries == null) {
            throw new InvalidRequestException("ACL " + what + " are missing");
        }
        if (entries.size() > MAX_PER_REQUEST) {
            throw new InvalidRequestException("At most " + MAX_PER_REQUEST + " ACL " + what + " per request, was "
                + entries.size());
        }
    }
}
