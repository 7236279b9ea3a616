package io.brook.protocol;

import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.TCPSSLOptions;
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
import java.util.Collection;
import org.apache.kafka.common.config.ConfigException;

/**
 * A listener's TLS identity: a PEM private key and certificate chain, checked when the node starts
 * (both files readable, every certificate of the chain valid now) so that a wrong path or an expired
 * certificate stops the node with one clear line instead of failing every client's handshake.
 */
public record ListenerTls(String keyPath, String certificatePath, Instant notAfter) {
  private static final System.Logger LOG = System.getLogger(ListenerTls.class.getName());
  private static final Duration EXPIRY_WARNING = Duration.ofDays(30);

  /** Reads and checks the files named for {@code listenerKey} (e.g. {@code http.tls}). */
  public static ListenerTls checked(String listenerKey, String keyPath, String certificatePath) {
    if (keyPath.isBlank() || certificatePath.isBlank()) {
      throw new ConfigException(listenerKey, true, "needs its ssl.key.location and ssl.certificate.location");
    }
    if (!Files.isReadable(Path.of(keyPath))) {
      throw new ConfigException(listenerKey, true, "cannot read the private key " + keyPath);
    }
    Instant now = Instant.now();
    Instant notAfter = Instant.MAX;
    try (InputStream in = Files.newInputStream(Path.of(certificatePath))) {
      Collection<? extends Certificate> chain = CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (chain.isEmpty()) {
        throw new ConfigException(listenerKey, true, "no certificate in " + certificatePath);
      }
      for (Certificate certificate : chain) {
        X509Certificate x509 = (X509Certificate) certificate;
        if (x509.getNotAfter().toInstant().isBefore(now) || x509.getNotBefore().toInstant().isAfter(now)) {
          throw new ConfigException(listenerKey, true, "the certificate " + x509.getSubjectX500Principal().getName()
              + " in " + certificatePath + " is valid only from " + x509.getNotBefore().toInstant() + " to "
              + x509.getNotAfter().toInstant());
        }
        notAfter = notAfter.isBefore(x509.getNotAfter().toInstant()) ? notAfter : x509.getNotAfter().toInstant();
      }
    } catch (IOException | GeneralSecurityException e) {
      throw new ConfigException(listenerKey, true, "cannot read the certificate " + certificatePath + ": " + e.getMessage());
    }
    if (notAfter.isBefore(now.plus(EXPIRY_WARNING))) {
      LOG.log(System.Logger.Level.WARNING, "The " + listenerKey + " certificate " + certificatePath + " expires at "
          + notAfter + ": renew it");
    }
    return new ListenerTls(keyPath, certificatePath, notAfter);
  }

  /** Turns TLS on in {@code options} with this identity. */
  public <T extends TCPSSLOptions> T applyTo(T options) {
    options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setKeyPath(keyPath).setCertPath(certificatePath));
    return options;
  }
}
