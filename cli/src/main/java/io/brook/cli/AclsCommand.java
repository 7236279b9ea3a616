package io.brook.cli;

import static io.brook.cli.Json.array;
import static io.brook.cli.Json.object;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code brook acls list|add|remove}: Kafka's ACLs over the HTTP API ({@code /api/acls}). An ACL allows or denies a
 * principal ({@code User:alice}, {@code User:*}) one operation on a resource pattern (a topic, a group or the
 * cluster; a literal name, {@code *}, or a prefix) from a host. As in Kafka's {@code kafka-acls}, a resource
 * option selects the LITERAL pattern of that name unless {@code --prefixed} (or, to list or remove,
 * {@code --match}: every pattern that applies to the name) says otherwise; a field left out of a list or a remove
 * matches anything.
 */
@Command(name = "acls", mixinStandardHelpOptions = true, description = "List, add and remove ACLs.",
    subcommands = {AclsCommand.ListAcls.class, AclsCommand.Add.class, AclsCommand.Remove.class})
public final class AclsCommand implements Runnable {
  /** The name of the one cluster resource, as in Kafka. */
  static final String CLUSTER_NAME = "kafka-cluster";
  static final String[] HEADER = {"TYPE", "NAME", "PATTERN", "PRINCIPAL", "HOST", "OPERATION", "PERMISSION"};

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing command: list, add or remove");
  }

  /** Kafka's ACL operations that Brook checks. */
  enum Operation { ALL, READ, WRITE, CREATE, DELETE, ALTER, DESCRIBE, DESCRIBE_CONFIGS, ALTER_CONFIGS }

  /** An operation in any case, with '-' for '_' (describe-configs). */
  static final class OperationConverter implements ITypeConverter<Operation> {
    @Override
    public Operation convert(String value) {
      try {
        return Operation.valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException("expected one of " + Arrays.stream(Operation.values()).map(Enum::name)
            .collect(Collectors.joining(", ")) + ", was '" + value + "'");
      }
    }
  }

  /** A principal, {@code TYPE:NAME}: {@code User:alice}, or {@code User:*} for every user. */
  static final class PrincipalConverter implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      int colon = value.indexOf(':');
      if (colon <= 0 || colon == value.length() - 1) {
        throw new TypeConversionException("expected a principal as User:NAME (e.g. User:alice, or User:* for "
            + "every user), was '" + value + "'");
      }
      return value;
    }
  }

  /** A topic or group name or prefix: not empty (the broker says which names are legal). */
  static final class ResourceName implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      if (value.isEmpty()) {
        throw new TypeConversionException("a resource name must not be empty");
      }
      return value;
    }
  }

  /** A host: not empty ({@code *} is every host). */
  static final class HostConverter implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      if (value.isBlank()) {
        throw new TypeConversionException("a host must not be empty (* is every host)");
      }
      return value.trim();
    }
  }

  /** One resource: {@code --topic T}, {@code --group G} or {@code --cluster}. */
  static final class Resource {
    @Option(names = "--topic", paramLabel = "TOPIC", required = true, converter = ResourceName.class,
        description = "A topic: its name, a prefix with --prefixed, or * for every topic.")
    String topic;

    @Option(names = "--group", paramLabel = "GROUP", required = true, converter = ResourceName.class,
        description = "A consumer group: its name, a prefix with --prefixed, or * for every group.")
    String group;

    @Option(names = "--cluster", required = true, description = "The cluster (" + CLUSTER_NAME + ").")
    boolean cluster;

    String type() {
      return topic != null ? "TOPIC" : group != null ? "GROUP" : "CLUSTER";
    }

    String name() {
      return topic != null ? topic : group != null ? group : CLUSTER_NAME;
    }
  }

  /** How a list or a remove matches resource names. */
  static final class PatternFilter {
    @Option(names = "--prefixed", required = true, description = "The PREFIXED patterns of the name.")
    boolean prefixed;

    @Option(names = "--match", required = true,
        description = "Every pattern that applies to the name: literal, prefixed and the * wildcard.")
    boolean match;
  }

  /**
   * The pattern type to send: PREFIXED or MATCH when asked, else LITERAL for a named resource (Kafka's
   * default), else null (any). {@code --prefixed} on the cluster is a usage error: it has one literal name.
   */
  static String patternType(CommandSpec spec, Resource resource, boolean prefixed, boolean match) {
    if (prefixed && resource != null && resource.cluster) {
      throw new ParameterException(spec.commandLine(),
          "--prefixed does not apply to --cluster: the cluster resource is the one literal name " + CLUSTER_NAME);
    }
    return prefixed ? "PREFIXED" : match ? "MATCH" : resource != null ? "LITERAL" : null;
  }

  /** An ACL or a filter as the API's JSON object: the fields that are not null, in the API's order. */
  static Map<String, Object> acl(String resourceType, String resourceName, String patternType, String principal,
      String host, String operation, String permission) {
    Map<String, Object> acl = new LinkedHashMap<>();
    putIfNotNull(acl, "resourceType", resourceType);
    putIfNotNull(acl, "resourceName", resourceName);
    putIfNotNull(acl, "patternType", patternType);
    putIfNotNull(acl, "principal", principal);
    putIfNotNull(acl, "host", host);
    putIfNotNull(acl, "operation", operation);
    putIfNotNull(acl, "permission", permission);
    return acl;
  }

  private static void putIfNotNull(Map<String, Object> map, String key, Object value) {
    if (value != null) {
      map.put(key, value);
    }
  }

  /** One table row for an ACL of the API's answer. */
  static String[] row(Map<String, Object> acl) {
    String[] row = new String[HEADER.length];
    String[] keys = {"resourceType", "resourceName", "patternType", "principal", "host", "operation", "permission"};
    for (int i = 0; i < keys.length; i++) {
      row[i] = Json.text(acl, keys[i]);
    }
    return row;
  }

  static void printAcls(PrintWriter out, List<Map<String, Object>> acls) {
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADER);
    acls.forEach(acl -> rows.add(row(acl)));
    ClusterCommand.printTable(out, rows);
  }

  /** "READ on TOPIC orders (LITERAL) for User:alice" for error messages. */
  static String describe(Map<String, Object> acl) {
    return Json.text(acl, "permission") + " " + Json.text(acl, "operation") + " on "
        + Json.text(acl, "resourceType") + " " + Json.text(acl, "resourceName") + " ("
        + Json.text(acl, "patternType") + ") for " + Json.text(acl, "principal");
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = {"List ACLs, all of them or those of a principal and/or a resource. A resource option lists "
          + "the ACLs of that LITERAL name; --prefixed the PREFIXED patterns of it; --match every ACL that applies "
          + "to it (literal, prefixed and *)."})
  static final class ListAcls implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--principal", paramLabel = "PRINCIPAL", converter = PrincipalConverter.class,
        description = "Only this principal's ACLs, e.g. User:alice.")
    String principal;

    @ArgGroup(exclusive = true)
    Resource resource;

    @ArgGroup(exclusive = true)
    PatternFilter pattern;

    @Override
    public void run() {
      String patternType = patternType(spec, resource, pattern != null && pattern.prefixed,
          pattern != null && pattern.match);
      Map<String, Object> filter = acl(resource == null ? null : resource.type(),
          resource == null ? null : resource.name(), patternType, principal, null, null, null);
      String query = filter.entrySet().stream()
          .map(e -> e.getKey() + "=" + BrookHttp.encode(e.getValue().toString()))
          .collect(Collectors.joining("&"));
      Map<String, Object> answer = BrookCli.http(spec).get("/api/acls" + (query.isEmpty() ? "" : "?" + query));
      List<Map<String, Object>> acls = new ArrayList<>();
      array(answer.get("acls")).forEach(item -> acls.add(object(item)));
      printAcls(TopicsCommand.out(spec), acls);
    }
  }

  @Command(name = "add", mixinStandardHelpOptions = true,
      description = {"Add ACLs: one per --operation, allowing (or with --deny denying) the principal that operation "
          + "on the resource from the host. DENY wins over ALLOW. Adding an ACL that exists changes nothing."})
  static final class Add implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--principal", paramLabel = "PRINCIPAL", required = true, converter = PrincipalConverter.class,
        description = "Who: User:NAME, or User:* for every user.")
    String principal;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Resource resource;

    @Option(names = "--prefixed", description = "The name is a prefix: the ACL applies to every name starting with it.")
    boolean prefixed;

    @Option(names = "--operation", paramLabel = "OP", required = true, converter = OperationConverter.class,
        description = "ALL, READ, WRITE, CREATE, DELETE, ALTER, DESCRIBE, DESCRIBE_CONFIGS or ALTER_CONFIGS "
            + "(repeatable).")
    List<Operation> operations = new ArrayList<>();

    @Option(names = "--deny", description = "Deny instead of allow.")
    boolean deny;

    @Option(names = "--host", paramLabel = "HOST", defaultValue = "*", converter = HostConverter.class,
        description = "The client host it applies to (default: ${DEFAULT-VALUE}, every host).")
    String host;

    @Override
    public void run() {
      String patternType = patternType(spec, resource, prefixed, false);
      List<Map<String, Object>> acls = new ArrayList<>();
      for (Operation operation : operations.stream().distinct().toList()) {
        acls.add(acl(resource.type(), resource.name(), patternType, principal, host, operation.name(),
            deny ? "DENY" : "ALLOW"));
      }
      Map<String, Object> answer = BrookCli.http(spec).post("/api/acls",
          TopicsCommand.bytes(Json.write(Map.of("acls", acls))));
      List<Map<String, Object>> added = new ArrayList<>();
      List<String> errors = new ArrayList<>();
      List<Object> results = array(answer.get("results"));
      for (int i = 0; i < results.size(); i++) {
        Map<String, Object> result = object(results.get(i));
        // each result answers the ACL at its index; its "acl" is what the broker stored
        Map<String, Object> acl = result.get("acl") != null ? object(result.get("acl"))
            : i < acls.size() ? acls.get(i) : Map.of();
        if (isError(result)) {
          errors.add(error(result) + " (" + describe(acl) + ")");
        } else {
          added.add(acl);
        }
      }
      if (!added.isEmpty()) {
        PrintWriter out = TopicsCommand.out(spec);
        out.println("Added " + count(added.size()) + ":");
        printAcls(out, added);
      }
      if (!errors.isEmpty()) {
        throw new CliException(errors.size() + " of " + acls.size() + " ACLs not added: " + String.join("; ", errors));
      }
    }
  }

  @Command(name = "remove", mixinStandardHelpOptions = true,
      description = {"Remove the ACLs that match: every option narrows the match, and one left out matches "
          + "anything; a resource (--topic, --group or --cluster) or --principal is required. A resource option "
          + "matches its LITERAL pattern; --prefixed its PREFIXED one; --match every pattern that applies to it. "
          + "Prints what was removed."})
  static final class Remove implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--principal", paramLabel = "PRINCIPAL", converter = PrincipalConverter.class,
        description = "Only this principal's ACLs, e.g. User:alice.")
    String principal;

    @ArgGroup(exclusive = true)
    Resource resource;

    @ArgGroup(exclusive = true)
    PatternFilter pattern;

    @Option(names = "--operation", paramLabel = "OP", converter = OperationConverter.class,
        description = "Only ACLs of this operation (repeatable; default: any).")
    List<Operation> operations = new ArrayList<>();

    @ArgGroup(exclusive = true)
    Permission permission;

    static final class Permission {
      @Option(names = "--allow", required = true, description = "Only ALLOW ACLs.")
      boolean allow;

      @Option(names = "--deny", required = true, description = "Only DENY ACLs.")
      boolean deny;
    }

    @Option(names = "--host", paramLabel = "HOST", converter = HostConverter.class,
        description = "Only ACLs of this host (default: any).")
    String host;

    @Override
    public void run() {
      if (resource == null && principal == null) {
        throw new ParameterException(spec.commandLine(),
            "Give a resource (--topic, --group or --cluster) or --principal: remove never removes every ACL at once");
      }
      String patternType = patternType(spec, resource, pattern != null && pattern.prefixed,
          pattern != null && pattern.match);
      String permissionType = permission == null ? null : permission.deny ? "DENY" : "ALLOW";
      List<Map<String, Object>> filters = new ArrayList<>();
      List<String> operationNames = operations.isEmpty()
          ? Collections.singletonList(null) : operations.stream().distinct().map(Enum::name).toList();
      for (String operation : operationNames) {
        filters.add(acl(resource == null ? null : resource.type(), resource == null ? null : resource.name(),
            patternType, principal, host, operation, permissionType));
      }
      Map<String, Object> answer = BrookCli.http(spec).post("/api/acls/delete",
          TopicsCommand.bytes(Json.write(Map.of("filters", filters))));
      List<Map<String, Object>> removed = new ArrayList<>();
      List<String> errors = new ArrayList<>();
      for (Object item : array(answer.get("results"))) {
        Map<String, Object> result = object(item);
        if (isError(result)) {
          errors.add(error(result));
        }
        array(result.get("deleted")).forEach(acl -> removed.add(object(acl)));
      }
      PrintWriter out = TopicsCommand.out(spec);
      if (!removed.isEmpty()) {
        out.println("Removed " + count(removed.size()) + ":");
        printAcls(out, removed);
      } else if (errors.isEmpty()) {
        out.println("No ACL matched; nothing removed.");
      }
      if (!errors.isEmpty()) {
        throw new CliException(errors.size() + " of " + filters.size() + " filters failed: " + String.join("; ", errors));
      }
    }
  }

  private static boolean isError(Map<String, Object> result) {
    Object error = result.get("error");
    return error != null && !"NONE".equals(error);
  }

  private static String error(Map<String, Object> result) {
    Object message = result.get("message");
    return result.get("error") + (message == null || message.toString().isEmpty() ? "" : ": " + message);
  }

  private static String count(int acls) {
    return acls == 1 ? "1 ACL" : acls + " ACLs";
  }
}
