package io.brook.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXReason;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * What the CLI trusts on {@code https://}: exactly the CA certificates of {@code --ca-file} (PEM, as
 * {@code bin/brook-certs} writes {@code ca.pem}), or the JDK's default trust store without one. The host name is
 * checked against the node's certificate either way (HttpClient's endpoint identification). {@link #explain} turns a
 * failed handshake into one line saying what to fix. Immutable; any thread.
 *
 * @param context the TLS context for HttpClient
 * @param caFile  the PEM file trusted, or null for the JDK's trust store; named in error messages
 */
record Tls(SSLContext context, Path caFile) {
  /** The context trusting {@code caFile}'s certificates only, or the JDK default when null. */
  static Tls trusting(Path caFile) {
    try {
      if (caFile == null) {
        return new Tls(SSLContext.getDefault(), null);
      }
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      int index = 0;
      for (Certificate certificate : certificates(caFile)) {
        trusted.setCertificateEntry("ca-" + index++, certificate);
      }
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return new Tls(context, caFile);
    } catch (GeneralSecurityException | IOException e) {
      throw new CliException("cannot set up TLS with --ca-file " + caFile + ": " + e.getMessage());
    }
  }

  /** Where trust comes from, for messages: "--ca-file X" or "the JDK's default trust store". */
  String trustSource() {
    return caFile == null ? "the JDK's default trust store" : "--ca-file " + caFile;
  }

  /**
   * A failed TLS handshake with the node at {@code base}, said as what the user can fix: the CA, the host name,
   * the certificate's validity, or the scheme (a plain HTTP port).
   */
  String explain(Throwable failure, URI base) {
    String node = "the certificate of the node at " + base;
    String deepest = deepestMessage(failure);
    if (find(failure, CertificateExpiredException.class) != null) {
      return node + " has expired: " + deepest;
    }
    if (find(failure, CertificateNotYetValidException.class) != null) {
      return node + " is not valid yet: " + deepest;
    }
    CertPathValidatorException invalidPath = find(failure, CertPathValidatorException.class);
    if (find(failure, CertPathBuilderException.class) != null
        || invalidPath != null && invalidPath.getReason() == PKIXReason.NO_TRUST_ANCHOR) {
      return node + " is not signed by a CA in " + trustSource()
          + (caFile == null ? "; give the CA that signed it with --ca-file PEM or $BROOK_CA_FILE" : "");
    }
    if (find(failure, CertificateException.class) != null
        && (deepest.contains("subject alternative") || deepest.contains("No name matching"))) {
      return node + " is not issued for " + base.getHost() + " (" + deepest + ")";
    }
    // JDK 17: "Unrecognized SSL message, plaintext connection?"; later: "Unsupported or unrecognized SSL message"
    if (deepest.contains("nrecognized SSL message")) {
      return "the node at " + base + " does not speak TLS; if it serves plain HTTP, use --bootstrap http://"
          + base.getHost() + ":" + base.getPort();
    }
    return "TLS with the node at " + base + " failed: " + deepest;
  }

  /** The first of {@code failure}'s causes (itself included) that is a {@code type}, or null. */
  static <T extends Throwable> T find(Throwable failure, Class<T> type) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  private static String deepestMessage(Throwable failure) {
    String message = String.valueOf(failure.getMessage());
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null) {
        message = t.getMessage();
      }
    }
    return message;
  }

  private static Collection<? extends Certificate> certificates(Path caFile) {
    try (InputStream in = Files.newInputStream(caFile)) {
      Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certificates.isEmpty()) {
        throw new CliException("--ca-file " + caFile + " holds no certificate (expected PEM: -----BEGIN CERTIFICATE-----)");
      }
      return certificates;
    } catch (NoSuchFileException e) {
      throw new CliException("cannot read --ca-file " + caFile + ": no such file");
    } catch (AccessDeniedException e) {
      throw new CliException("cannot read --ca-file " + caFile + ": permission denied");
    } catch (IOException e) {
      throw new CliException("cannot read --ca-file " + caFile + ": " + e.getMessage());
    } catch (CertificateException e) {
      throw new CliException("--ca-file " + caFile + " is not a PEM certificate file: " + e.getMessage());
    }
  }
}
