package io.brook.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.metadata.UserScramCredential;
import io.brook.protocol.Addresses;
import io.brook.protocol.message.AclEntry;
import io.brook.protocol.message.CreateAclsRequest;
import io.brook.protocol.message.UpsertUserRequest;
import io.brook.security.ScramCredentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka clients log in to Brook's Kafka listener over SASL_SSL as Brook users, and Brook's ACLs decide what
 * each may do: kafka-clients with SCRAM-SHA-512 and PLAIN, kcat (librdkafka) with SCRAM-SHA-256, two
 * brokers with a CA's certificates (bin/brook-certs), ACLs on, anonymous clients refused; users made and
 * deleted through Kafka's own user API.
 */
@Tag("integration")
class KafkaSaslTest {
  @TempDir
  Path root;

  @Test
  void usersLogInOverSaslSslAndTheAclsDecideWhatTheyMayDo() throws Exception {
    Path certs = root.resolve("certs");
    run("../bin/brook-certs", certs.toString(), "broker");
    Path adminPassword = Files.writeString(root.resolve("admin.password"), "admin-secret\n");
    Map<String, Object> keys = new HashMap<>(Map.of("kafka.port", 0, "kafka.security.protocol", "SASL_SSL",
        "kafka.ssl.key.location", certs.resolve("broker.key").toString(),
        "kafka.ssl.certificate.location", certs.resolve("broker.pem").toString(),
        "security.allow.anonymous", false, "authorizer.enabled", true, "super.users", "User:admin",
        "security.initial.user", "admin", "security.initial.password.file", adminPassword.toString()));
    keys.put("connection.failed.authentication.delay.ms", 0);
    try (ProcessCluster cluster = new ProcessCluster(root, ProcessCluster.Mode.HAZELCAST, keys)) {
      cluster.startAll(1, 2);
      assertThat(cluster.broker(1).output()).contains("(SASL_SSL)");
      for (ScramMechanism mechanism : ScramMechanism.values()) {
        UserScramCredential alice = ScramCredentials.create("alice", mechanism, "alice-secret");
        Base64.Encoder base64 = Base64.getEncoder();
        cluster.request(Addresses.UPSERT_USER, new UpsertUserRequest("alice", mechanism.mechanismName(),
            base64.encodeToString(alice.salt()), base64.encodeToString(alice.storedKey()),
            base64.encodeToString(alice.serverKey()), alice.iterations(), UpsertUserRequest.Mode.UPSERT), 30_000);
      }
      List<AclEntry> acls = new ArrayList<>();
      for (String operation : List.of("WRITE", "READ", "DESCRIBE")) {
        acls.add(new AclEntry("TOPIC", "payments", null, "User:alice", null, operation, null));
      }
      acls.add(new AclEntry("GROUP", "billing", null, "User:alice", null, "READ", null));
      cluster.request(Addresses.CREATE_ACLS, new CreateAclsRequest(acls), 30_000);

      String bootstrap = "127.0.0.1:" + cluster.kafkaPort(2);
      // the initial user, a super user, creates topics through Kafka's Admin (SCRAM-SHA-256: its credential)
      try (Admin admin = Admin.create(client(bootstrap, certs, "SCRAM-SHA-256", "admin", "admin-secret"))) {
        admin.createTopics(List.of(new NewTopic("payments", 2, (short) 2), new NewTopic("salaries", 1, (short) 2)))
            .all().get(60, TimeUnit.SECONDS);
      }
      // alice sees only her topic (PLAIN over TLS)
      try (Admin alice = Admin.create(client(bootstrap, certs, "PLAIN", "alice", "alice-secret"))) {
        assertThat(alice.listTopics().names().get(60, TimeUnit.SECONDS)).containsExactly("payments");
      }

      // alice produces with the producer's defaults (idempotent, acks=all) and consumes in her group
      Map<String, Object> producerConfig = client(bootstrap, certs, "SCRAM-SHA-512", "alice", "alice-secret");
      producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
      producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig)) {
        for (int i = 0; i < 100; i++) {
          producer.send(new ProducerRecord<>("payments", "k" + i, "paid-" + i));
        }
        producer.flush();
        assertThatThrownBy(() -> producer.send(new ProducerRecord<>("salaries", "k", "v")).get(60, TimeUnit.SECONDS))
            .hasCauseInstanceOf(TopicAuthorizationException.class);
      }
      Map<String, Object> consumerConfig = client(bootstrap, certs, "SCRAM-SHA-512", "alice", "alice-secret");
      consumerConfig.putAll(Map.of(ConsumerConfig.GROUP_ID_CONFIG, "billing",
          ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
          ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
          ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class));
      List<String> read = new ArrayList<>();
      try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig)) {
        consumer.subscribe(List.of("payments"));
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (read.size() < 100 && System.nanoTime() < deadline) {
          for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
            read.add(record.value());
          }
        }
        consumer.commitSync();
      }
      assertThat(read).hasSize(100).containsAll(IntStream.range(0, 100).mapToObj(i -> "paid-" + i).toList());

      // a wrong password and an unknown user are refused alike; a client without TLS or SASL gets nothing
      for (String[] login : new String[][] {{"alice", "guess"}, {"mallory", "alice-secret"}}) {
        try (Admin refused = Admin.create(client(bootstrap, certs, "SCRAM-SHA-512", login[0], login[1]))) {
          assertThatThrownBy(() -> refused.listTopics().names().get(60, TimeUnit.SECONDS)).as(login[0])
              .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SaslAuthenticationException.class);
        }
      }
      Map<String, Object> sslOnly = client(bootstrap, certs, "PLAIN", "alice", "alice-secret");
      sslOnly.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL");
      sslOnly.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
      sslOnly.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
      try (Admin anonymous = Admin.create(sslOnly)) {
        assertThatThrownBy(() -> anonymous.listTopics().names().get(30, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class);
      }

      // users through Kafka's own user API (kafka-configs --entity-type users): the super user makes bob, bob logs
      // in but may not change users, and once deleted cannot log in
      UserScramCredentialUpsertion bobsPassword = new UserScramCredentialUpsertion("bob",
          new ScramCredentialInfo(org.apache.kafka.clients.admin.ScramMechanism.SCRAM_SHA_512, 8192), "bob-secret");
      try (Admin admin = Admin.create(client(bootstrap, certs, "SCRAM-SHA-256", "admin", "admin-secret"))) {
        admin.alterUserScramCredentials(List.of(bobsPassword)).all().get(60, TimeUnit.SECONDS);
        assertThat(admin.describeUserScramCredentials(List.of("bob")).description("bob").get(60, TimeUnit.SECONDS)
            .credentialInfos()).extracting(info -> info.mechanism() + "/" + info.iterations())
            .containsExactly("SCRAM_SHA_512/8192");
        assertThat(admin.describeUserScramCredentials().users().get(60, TimeUnit.SECONDS))
            .containsExactlyInAnyOrder("admin", "alice", "bob");
      }
      try (Admin bob = Admin.create(client(bootstrap, certs, "SCRAM-SHA-512", "bob", "bob-secret"))) {
        assertThat(bob.listTopics().names().get(60, TimeUnit.SECONDS)).isEmpty();
        assertThatThrownBy(() -> bob.alterUserScramCredentials(List.of(new UserScramCredentialDeletion("alice",
            org.apache.kafka.clients.admin.ScramMechanism.SCRAM_SHA_512))).all().get(60, TimeUnit.SECONDS))
            .hasCauseInstanceOf(ClusterAuthorizationException.class);
      }
      try (Admin admin = Admin.create(client(bootstrap, certs, "SCRAM-SHA-256", "admin", "admin-secret"))) {
        admin.alterUserScramCredentials(List.of(new UserScramCredentialDeletion("bob",
            org.apache.kafka.clients.admin.ScramMechanism.SCRAM_SHA_512))).all().get(60, TimeUnit.SECONDS);
      }
      try (Admin bob = Admin.create(client(bootstrap, certs, "SCRAM-SHA-512", "bob", "bob-secret"))) {
        assertThatThrownBy(() -> bob.listTopics().names().get(60, TimeUnit.SECONDS))
            .hasCauseInstanceOf(SaslAuthenticationException.class);
      }

      // kcat (librdkafka) over SASL_SSL with SCRAM-SHA-256: metadata of both brokers, produce, consume
      List<String> kcat = List.of("-b", bootstrap, "-X", "security.protocol=SASL_SSL", "-X",
          "sasl.mechanisms=SCRAM-SHA-256", "-X", "sasl.username=alice", "-X", "sasl.password=alice-secret",
          "-X", "ssl.ca.location=" + certs.resolve("ca.pem"));
      assertThat(Kcat.run(root, null, args(kcat, "-L"))).contains("2 brokers:").contains("topic \"payments\"")
          .doesNotContain("salaries");
      Kcat.run(root, IntStream.range(0, 10).mapToObj(i -> "kcat-" + i).collect(Collectors.joining("\n")) + "\n",
          args(kcat, "-P", "-t", "payments", "-p", "1"));
      assertThat(Kcat.lines(Kcat.run(root, null, args(kcat, "-C", "-t", "payments", "-p", "1", "-o", "beginning",
          "-e", "-f", "%s\\n")))).contains("kcat-0", "kcat-9");
    }
  }

  /** A kafka-clients config for SASL_SSL, trusting the cluster's CA. */
  private static Map<String, Object> client(String bootstrap, Path certs, String mechanism, String user,
      String password) {
    String module = mechanism.equals("PLAIN") ? "org.apache.kafka.common.security.plain.PlainLoginModule"
        : "org.apache.kafka.common.security.scram.ScramLoginModule";
    return new HashMap<>(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL",
        SaslConfigs.SASL_MECHANISM, mechanism,
        SaslConfigs.SASL_JAAS_CONFIG, module + " required username=\"" + user + "\" password=\"" + password + "\";",
        SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM",
        SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, certs.resolve("ca.pem").toString(),
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000,
        ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000));
  }

  private static String[] args(List<String> common, String... more) {
    List<String> all = new ArrayList<>(common);
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  private static void run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
  }
}
