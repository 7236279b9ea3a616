package io.brook.metadata;

/**
 * What a user name may be, for SCRAM credentials and the {@code User:name} principals of ACLs.
 *
 * <p>A SCRAM user name is 1 to {@value #MAX_LENGTH} characters with no whitespace, no control
 * character and no ':' (HTTP Basic separates the user from the password with the first ':'), and it
 * is not {@code *} (that is the wildcard principal {@code User:*}). SCRAM's own special characters
 * (',' and '=') are allowed: kafka-clients' {@code ScramFormatter.saslName} escapes them.
 *
 * <p>An ACL principal is wider, so that certificate names ({@code User:CN=client,O=Brook}) fit later:
 * {@code User:} and then {@code *} or 1 to {@value #MAX_PRINCIPAL_NAME_LENGTH} characters with no
 * control character.
 */
public final class UserNames {

    /** Longest SCRAM user name. */
    public static final int MAX_LENGTH = 128;
    /** Longest name part of an ACL principal. */
    public static final int MAX_PRINCIPAL_NAME_LENGTH = 1024;
    /** The only principal type Brook knows (Kafka's {@code KafkaPrincipal.USER_TYPE}). */
    public static final String USER_TYPE = "User";
    /** The principal every user matches in an ACL. */
    public static final String WILDCARD_PRINCIPAL = "User:*";

    private UserNames() {
    }

    /** Why {@code name} is not a legal SCRAM user name, or null if it is. */
    public static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "Username must not be empty";
        }
        if (name.length() > MAX_LENGTH) {
            return "Username must be at most " + MAX_LENGTH + " characters, was " + name.length();
        }
        if (name.equals("*")) {
            return "Username '*' is reserved for the wildcard principal User:*";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == ':' || Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSpaceChar(c)) {
                return "Username must not contain ':', whitespace or control characters: '" + printable(name) + "'";
            }
        }
        return null;
    }

    /** @throws IllegalArgumentException if {@code name} is not a legal SCRAM user name */
    static String check(String name, String what) {
        String problem = problem(name);
        if (problem != null) {
            throw new IllegalArgumentException(what + ": " + problem);
        }
        return name;
    }

    /** Why {@code principal} is not a legal ACL principal ({@code User:name} or {@code User:*}), or null. */
    public static String principalProblem(String principal) {
        if (principal == null || !principal.startsWith(USER_TYPE + ":")) {
            return "principal must be User:<name> or User:*, was '" + (principal == null ? null : printable(principal)) + "'";
        }
        String name = principal.substring(USER_TYPE.length() + 1);
        if (name.isEmpty() || name.length() > MAX_PRINCIPAL_NAME_LENGTH) {
            return "principal name must be 1 to " + MAX_PRINCIPAL_NAME_LENGTH + " characters";
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            return "principal name must not contain control characters: '" + printable(principal) + "'";
        }
        return null;
    }

    /** The principal of SCRAM user {@code name}. */
    public static String principal(String name) {
        return USER_TYPE + ":" + name;
    }

    private static String printable(String text) {
        String cut = text.length() > 80 ? text.substring(0, 80) + "..." : text;
        StringBuilder out = new StringBuilder();
        cut.chars().forEach(c -> out.append(Character.isISOControl(c) ? String.format("\\u%04x", c) : String.valueOf((char) c)));
        return out.toString();
    }
}
