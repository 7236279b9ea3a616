package io.brook.web.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.Record;
import org.junit.jupiter.api.Test;

/** The search filter on its own: each mode, each field, the path syntax, and the regex deadline. */
class RecordFilterTest {
  static final long FAR = System.nanoTime() + 60_000_000_000L;

  static Record record(String key, String value, Header... headers) {
    MemoryRecordsBuilder builder = MemoryRecords.builder(ByteBuffer.allocate(1024), Compression.NONE,
        TimestampType.CREATE_TIME, 0L);
    builder.append(1L, key == null ? null : key.getBytes(StandardCharsets.UTF_8),
        value == null ? null : value.getBytes(StandardCharsets.UTF_8), headers);
    return builder.build().records().iterator().next();
  }

  @Test
  void substringAndRegexOnKeyValueAndHeader() {
    Record r = record("user-42", "{\"a\":1}", new RecordHeader("trace", "abc-123".getBytes(StandardCharsets.UTF_8)));
    assertThat(RecordFilter.parse("42", "key", "substring").matches(r, FAR)).isTrue();
    assertThat(RecordFilter.parse("42", "value", "substring").matches(r, FAR)).isFalse();
    assertThat(RecordFilter.parse("^abc-\\d+$", "header:trace", "regex").matches(r, FAR)).isTrue();
    assertThat(RecordFilter.parse("abc", "header:other", "regex").matches(r, FAR)).isFalse();
    assertThat(RecordFilter.parse("x", "key", "substring").matches(record(null, "x"), FAR)).isFalse();
  }

  @Test
  void jsonPathComparesScalarsByValue() {
    Record r = record(null, "{\"a\":{\"b\":[10, 2.50, \"x\", true, null]}}");
    assertThat(RecordFilter.parse("$.a.b[0]=10.0", "value", "jsonpath").matches(r, FAR)).isTrue();
    assertThat(RecordFilter.parse("$.a.b[1]=2.5", "value", "jsonpath").matches(r, FAR)).isTrue();
    assertThat(RecordFilter.parse("$.a.b[2]=\"x\"", "value", "jsonpath").matches(r, FAR)).isTrue();
    assertThat(RecordFilter.parse("$.a.b[2]=x", "value", "jsonpath").matches(r, FAR)).isTrue();
    assertThat(RecordFilter.parse("$.a.b[3]=true", "value", "jsonpath").matches(r, FAR)).isTrue();
    assertThat(RecordFilter.parse("$.a.b[4]=null", "value", "jsonpath").matches(r, FAR)).isTrue();
    assertThat(RecordFilter.parse("$.a.b[5]=null", "value", "jsonpath").matches(r, FAR)).isFalse();
    assertThat(RecordFilter.parse("$.a.b=1", "value", "jsonpath").matches(r, FAR)).isFalse(); // not a scalar
    assertThat(RecordFilter.parse("$.a=1", "value", "jsonpath").matches(record(null, "not json"), FAR)).isFalse();
  }

  @Test
  void pathSyntax() {
    assertThat(RecordFilter.parsePath("$.a.b[0].c")).isEqualTo(List.of("a", "b", 0, "c"));
    assertThat(RecordFilter.parsePath("$[3]")).isEqualTo(List.of(3));
    for (String bad : List.of("$", "$.", "$..a", "$.a[", "$.a[x]", "$.a[-1]", "$a")) {
      assertThatThrownBy(() -> RecordFilter.parsePath(bad)).as(bad).isInstanceOf(InvalidRequestException.class);
    }
    assertThatThrownBy(() -> RecordFilter.parsePath("$" + ".a".repeat(33))).hasMessageContaining("32 steps");
  }

  @Test
  void aBacktrackingRegexStopsAtTheDeadline() {
    RecordFilter evil = RecordFilter.parse("(.*a){12}b", "value", "regex");
    Record r = record(null, "a".repeat(60));
    long startNs = System.nanoTime();
    assertThatThrownBy(() -> evil.matches(r, System.nanoTime() + 100_000_000L))
        .isInstanceOf(RecordFilter.DeadlineExceeded.class);
    assertThat((System.nanoTime() - startNs) / 1_000_000).isLessThan(5_000);
  }
}
