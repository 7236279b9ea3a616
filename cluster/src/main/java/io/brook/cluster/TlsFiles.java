package io.brook.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.config.ConfigException;

/**
 * Start-up checks of the cluster's TLS files (event bus and ZooKeeper client): readable, and every
 * certificate valid now, so that a wrong path or an expired certificate stops the member with one
 * line naming the key instead of failing every handshake later. A certificate that expires within
 * {@link #EXPIRY_WARNING} is warned about. Same rules as the listeners' {@code ListenerTls}
 * (web-console), which this module cannot depend on.
 */
final class TlsFiles {
  static final Duration EXPIRY_WARNING = Duration.ofDays(30);
  private static final System.Logger LOG = System.getLogger(TlsFiles.class.getName());

  private TlsFiles() {}

  /** Refuses a path that is blank or names no readable regular file. */
  static Path readable(String key, String path) {
    if (path.isBlank()) {
      throw new ConfigException(key, path, "a file is required here");
    }
    Path file = Path.of(path);
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new ConfigException(key, path, "cannot read " + path);
    }
    return file;
  }

  /** The certificates of a PEM file, at least one. */
  static List<X509Certificate> pemCertificates(String key, String path) {
    Path file = readable(key, path);
    List<X509Certificate> certificates = new ArrayList<>();
    try (InputStream in = Files.newInputStream(file)) {
      for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        certificates.add((X509Certificate) certificate);
      }
    } catch (IOException | GeneralSecurityException e) {
      throw new ConfigException(key, path, "cannot read the certificates in " + path + ": " + e.getMessage());
    }
    if (certificates.isEmpty()) {
      throw new ConfigException(key, path, "no certificate in " + path);
    }
    return certificates;
  }

  /**
   * Refuses the file if one of {@code certificates} (a chain, or the certificates of a trust store) is
   * expired or not yet valid at {@code now}; warns if one expires within {@link #EXPIRY_WARNING}.
   */
  static void requireValid(String key, String path, List<X509Certificate> certificates, Instant now) {
    Instant firstExpiry = Instant.MAX;
    for (X509Certificate certificate : certificates) {
      Instant notBefore = certificate.getNotBefore().toInstant();
      Instant notAfter = certificate.getNotAfter().toInstant();
      if (notAfter.isBefore(now) || notBefore.isAfter(now)) {
        throw new ConfigException(key, path, "the certificate " + certificate.getSubjectX500Principal().getName()
            + " in " + path + " is valid only from " + notBefore + " to " + notAfter);
      }
      firstExpiry = notAfter.isBefore(firstExpiry) ? notAfter : firstExpiry;
    }
    if (firstExpiry.isBefore(now.plus(EXPIRY_WARNING))) {
      LOG.log(System.Logger.Level.WARNING, "A certificate in " + path + " (" + key + ") expires at " + firstExpiry
          + ": renew it");
    }
  }
}
