package io.brook.web.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.junit.jupiter.api.Test;

/** Timestamps and offset specs parse in every documented form and fail clearly otherwise. */
class ParamsTest {
  private static final long MAY_FIRST = Instant.parse("2024-05-01T00:00:00Z").toEpochMilli();

  @Test
  void timestampsInEveryForm() {
    assertThat(Params.timestampMs("t", "1714521600000")).isEqualTo(MAY_FIRST);
    assertThat(Params.timestampMs("t", "2024-05-01T00:00:00Z")).isEqualTo(MAY_FIRST);
    assertThat(Params.timestampMs("t", "2024-05-01T02:00:00+02:00")).isEqualTo(MAY_FIRST);
    assertThat(Params.timestampMs("t", "2024-05-01T00:00:00")).isEqualTo(MAY_FIRST);
    assertThat(Params.timestampMs("t", "2024-05-01")).isEqualTo(MAY_FIRST);
    assertThatThrownBy(() -> Params.timestampMs("t", "-5")).isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> Params.timestampMs("t", "May 1st")).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("ISO-8601");
  }

  @Test
  void timesOutOfRangeAreInvalidRequests() {
    assertThatThrownBy(() -> Params.timestampMs("t", "+300000000-01-01T00:00:00Z"))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("too far in the future");
    assertThatThrownBy(() -> Params.timestampMs("t", "-300000000-01-01T00:00:00Z"))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("before 1970");
    assertThatThrownBy(() -> Params.timestampMs("at", "1969-12-31T23:59:59.999Z"))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("at must not be before 1970");
    assertThatThrownBy(() -> Params.timestampMs("t", "+999999999-12-31"))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("too far");
    assertThatThrownBy(() -> Params.timestampMs("t", "99999999999999999999"))
        .isInstanceOf(InvalidRequestException.class);
    assertThat(Params.timestampMs("t", "1970-01-01T00:00:00Z")).isZero();
    assertThat(Params.timestampMs("t", "+292278994-08-17T07:12:55.807Z")).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void offsetSpecs() {
    assertThat(StartOffsets.parse(null, null).listOffsetsTimestamp()).isEqualTo(-2L);
    assertThat(StartOffsets.parse("latest", null).listOffsetsTimestamp()).isEqualTo(-1L);
    assertThat(StartOffsets.parse("42", null).offset()).isEqualTo(42L);
    assertThat(StartOffsets.parse("0:5,2:7", null).perPartition()).containsEntry(0, 5L).containsEntry(2, 7L);
    assertThat(StartOffsets.parse(null, "2024-05-01").listOffsetsTimestamp()).isEqualTo(MAY_FIRST);
    assertThatThrownBy(() -> StartOffsets.parse("0:5:1", null)).isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> StartOffsets.parse("x", null)).isInstanceOf(InvalidRequestException.class);
  }
}
