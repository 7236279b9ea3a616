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
