package io.brook.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.client.BrookClients;
import io.brook.client.BrookProducer;
import io.brook.server.ProcessCluster;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Issue 11's interop through the command-line client, against a broker process with its Kafka listener:
 * what kafka-clients' producer writes (keys, binary values, headers, explicit timestamps, a null key, a
 * null value), {@code brook consume --format json --encoding base64} prints byte for byte with its offset;
 * and what {@code brook produce} and Brook's Java producer write, kafka-clients' consumer reads byte for
 * byte. The CLI runs in this JVM through its {@code main} command line (what {@code bin/brook} runs).
 */
@Tag("integration")
class KafkaCliInteropTest {
  @TempDir
  Path root;

  private static byte[] bytes(String text) {
    return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
  }

  private static String base64(byte[] bytes) {
    return bytes == null ? null : Base64.getEncoder().encodeToString(bytes);
  }

  /** One run of the CLI against broker 1's HTTP API: exit code and stdout; stderr goes into a failure. */
  private static String cli(ProcessCluster cluster, String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine line = BrookCli.commandLine(new BrookCli(new ByteArrayInputStream(bytes(stdin))));
    line.setOut(new PrintWriter(out, true));
    line.setErr(new PrintWriter(err, true));
    List<String> full = new ArrayList<>(List.of("--bootstrap", "127.0.0.1:" + cluster.httpPort(1)));
    full.addAll(List.of(args));
    assertThat(line.execute(full.toArray(new String[0]))).as("exit code; stderr: " + err).isZero();
    return out.toString();
  }

  private static List<ConsumerRecord<byte[], byte[]>> readWithKafka(String bootstrap, String topic, int count) {
    List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
      TopicPartition partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      await().atMost(Duration.ofSeconds(60)).until(() -> {
        consumer.poll(Duration.ofMillis(200)).forEach(read::add);
        return read.size() >= count;
      });
    }
    assertThat(read).hasSize(count);
    return read;
  }

  /** Headers as the HTTP API and {@code --format json} give them: name to base64 value (null stays null). */
  private static Map<String, Object> headersAsPrinted(Iterable<Header> headers) {
    Map<String, Object> printed = new LinkedHashMap<>();
    for (Header header : headers) {
      printed.put(header.key(), base64(header.value()));
    }
    return printed;
  }

  @Test
  void kafkaClientsAndBrooksCliReadEachOthersRecordsByteForByte() throws Exception {
    try (ProcessCluster cluster = new ProcessCluster(root, ProcessCluster.Mode.HAZELCAST, Map.of("kafka.port", 0))) {
      cluster.startAll(1);
      cluster.createTopic("from-kafka", 1, 1, Map.of());
      cluster.createTopic("from-brook", 1, 1, Map.of());
      String bootstrap = "127.0.0.1:" + cluster.kafkaPort(1);

      // kafka-clients' producer -> brook consume
      List<ProducerRecord<byte[], byte[]>> sent = List.of(
          new ProducerRecord<>("from-kafka", 0, 1_600_000_000_000L, bytes("key-\u00e9"),
              new byte[] {0, 1, (byte) 0xff, '\n', '"', '\\'}, List.of(new RecordHeader("trace", bytes("t-1")),
              new RecordHeader("bin", new byte[] {(byte) 0x80, 0}), new RecordHeader("none", (byte[]) null))),
          new ProducerRecord<>("from-kafka", 0, 1_600_000_000_001L, (byte[]) null, bytes("no key")),
          new ProducerRecord<>("from-kafka", 0, 1_600_000_000_002L, bytes("deleted"), null,
              List.of(new RecordHeader("empty", new byte[0]))),
          new ProducerRecord<>("from-kafka", 0, 1_700_000_000_000L, bytes("k4"), bytes("v4")));
      List<RecordMetadata> acked = new ArrayList<>();
      try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
          ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
          ProducerConfig.ACKS_CONFIG, "all",
          ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
          ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
        for (ProducerRecord<byte[], byte[]> record : sent) {
          acked.add(producer.send(record).get(60, TimeUnit.SECONDS));
        }
      }
      String printed = cli(cluster, "", "consume", "from-kafka", "--partition", "0", "--offset", "earliest",
          "--max-messages", "4", "--timeout-ms", "30000", "--format", "json", "--encoding", "base64");
      List<String> lines = printed.lines().toList();
      assertThat(lines).hasSize(4);
      for (int i = 0; i < 4; i++) {
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("partition", 0L);
        expected.put("offset", acked.get(i).offset());
        expected.put("timestamp", sent.get(i).timestamp());
        expected.put("key", base64(sent.get(i).key()));
        expected.put("value", base64(sent.get(i).value()));
        expected.put("headers", headersAsPrinted(sent.get(i).headers()));
        assertThat(lines.get(i)).as("line " + i).isEqualTo(Json.write(expected));
      }

      // brook produce -> kafka-clients' consumer
      cli(cluster, "a:1\nkey-\u00e9:value \u2713\n", "produce", "from-brook", "--partition", "0", "--key-separator", ":");
      // Brook's Java producer: headers, explicit timestamps, a null key and a null value
      List<ProducerRecord<byte[], byte[]>> fromJava = List.of(
          new ProducerRecord<>("from-brook", 0, 1_650_000_000_000L, bytes("j1"), new byte[] {(byte) 0xfe, 0, 7},
              List.of(new RecordHeader("h1", bytes("x")), new RecordHeader("h2", new byte[] {1, 2}))),
          new ProducerRecord<>("from-brook", 0, 1_650_000_000_001L, (byte[]) null, bytes("keyless")),
          new ProducerRecord<>("from-brook", 0, 1_650_000_000_002L, bytes("gone"), (byte[]) null));
      List<RecordMetadata> javaAcked = new ArrayList<>();
      try (BrookProducer producer = BrookClients.producer(cluster.client(), Map.of("acks", "all", "linger.ms", 0))) {
        for (ProducerRecord<byte[], byte[]> record : fromJava) {
          javaAcked.add(producer.send(record).await());
        }
      }

      List<ConsumerRecord<byte[], byte[]>> read = readWithKafka(bootstrap, "from-brook", 5);
      assertThat(read.get(0).offset()).isZero();
      assertThat(read.get(0).key()).isEqualTo(bytes("a"));
      assertThat(read.get(0).value()).isEqualTo(bytes("1"));
      assertThat(read.get(1).offset()).isEqualTo(1);
      assertThat(read.get(1).key()).isEqualTo(bytes("key-\u00e9"));
      assertThat(read.get(1).value()).isEqualTo(bytes("value \u2713"));
      assertThat(read.get(1).headers().toArray()).isEmpty();
      assertThat(read.get(1).timestampType()).isEqualTo(TimestampType.CREATE_TIME);
      for (int i = 0; i < fromJava.size(); i++) {
        ConsumerRecord<byte[], byte[]> got = read.get(2 + i);
        ProducerRecord<byte[], byte[]> want = fromJava.get(i);
        assertThat(got.offset()).isEqualTo(javaAcked.get(i).offset()).isEqualTo(2 + i);
        assertThat(got.timestamp()).isEqualTo(want.timestamp());
        assertThat(got.key()).isEqualTo(want.key());
        assertThat(got.value()).isEqualTo(want.value());
        assertThat(headersAsPrinted(got.headers())).isEqualTo(headersAsPrinted(want.headers()));
      }
    }
  }
}
