package io.brook.kafka;

import java.net.InetAddress;
import org.apache.kafka.common.network.ClientInformation;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.RequestContext;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/** A decoded request as the listener hands it to an API: from an anonymous client on loopback. */
final class TestRequests {
  private TestRequests() {}

  static KafkaRequest of(AbstractRequest body) {
    RequestContext context = new RequestContext(new RequestHeader(body.apiKey(), body.version(), "t", 1), "test",
        InetAddress.getLoopbackAddress(), KafkaPrincipal.ANONYMOUS, ListenerName.normalised("PLAINTEXT"),
        SecurityProtocol.PLAINTEXT, ClientInformation.EMPTY, false);
    return new KafkaRequest(context, body, null);
  }
}
