package io.brook.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.concurrent.CompletionException;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.LeaderNotAvailableException;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownServerException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/** Exceptions become Kafka error codes on the wire and the same exception types on the client. */
class BrookErrorsTest {

  @Test
  void typedExceptionsKeepTheirKafkaCode() {
    ReplyException wire = BrookErrors.toReplyException(new CompletionException(new OffsetOutOfRangeException("offset 9 not in [0, 5]")));
    assertThat(wire.failureType()).isEqualTo(ReplyFailure.RECIPIENT_FAILURE);
    assertThat(wire.failureCode()).isEqualTo(Errors.OFFSET_OUT_OF_RANGE.code());
    assertThat(wire.getMessage()).isEqualTo("OFFSET_OUT_OF_RANGE: offset 9 not in [0, 5]");

    ApiException back = BrookErrors.toApiException(wire);
    assertThat(back).isInstanceOf(OffsetOutOfRangeException.class).hasMessage(wire.getMessage());
  }

  @Test
  void retriableErrorsStayRetriable() {
    ApiException e = BrookErrors.toApiException(BrookErrors.toReplyException(new UnknownTopicOrPartitionException("no t-3")));
    assertThat(e).isInstanceOf(UnknownTopicOrPartitionException.class).isInstanceOf(RetriableException.class);
    assertThat(BrookErrors.toApiException(new ReplyException(ReplyFailure.NO_HANDLERS, "none")))
        .isInstanceOf(LeaderNotAvailableException.class);
    assertThat(BrookErrors.toApiException(new ReplyException(ReplyFailure.TIMEOUT, "slow")))
        .isInstanceOf(TimeoutException.class);
  }

  @Test
  void unknownFailuresBecomeUnknownServerError() {
    ReplyException wire = BrookErrors.toReplyException(new IllegalStateException("bug"));
    assertThat(wire.failureCode()).isEqualTo(Errors.UNKNOWN_SERVER_ERROR.code());
    assertThat(wire.getMessage()).isEqualTo("UNKNOWN_SERVER_ERROR: bug");
    assertThat(BrookErrors.toApiException(wire)).isInstanceOf(UnknownServerException.class);
  }

  @Test
  void relayedWireErrorsPassUnchanged() {
    ReplyException wire = BrookErrors.toReplyException(new CorruptRecordException("bad crc"));
    assertThat(BrookErrors.toReplyException(wire)).isSameAs(wire);
    assertThat(BrookErrors.errorOf(wire)).isEqualTo(Errors.CORRUPT_MESSAGE);
  }

  @Test
  void clientAddressesExcludeInternalOnes() {
    assertThat(Addresses.isClientAddress(Addresses.produce(3))).isTrue();
    assertThat(Addresses.isClientAddress(Addresses.METADATA)).isTrue();
    assertThat(Addresses.isClientAddress(Addresses.CREATE_TOPIC)).isTrue();
    assertThat(Addresses.isClientAddress(Addresses.localLog("t", 0))).isFalse();
    assertThat(Addresses.isClientAddress("brook.internal.replica.1.fetch")).isFalse();
    assertThat(Addresses.isClientAddress("brook.api.broker.1.produce.x")).isFalse();
  }
}
