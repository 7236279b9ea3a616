package io.brook.storage.internals;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class VerifiedRangesTest {

    @Test
    void rangesMergeAndCoverOnlyWhatWasAdded() {
        // proves: adjacent and overlapping ranges merge; a gap is never covered
        VerifiedRanges ranges = new VerifiedRanges();
        ranges.add(0, 100);
        ranges.add(100, 200);
        ranges.add(300, 400);
        assertThat(ranges.size()).isEqualTo(2);
        assertThat(ranges.covers(0, 200)).isTrue();
        assertThat(ranges.covers(150, 350)).isFalse();
        ranges.add(180, 320);
        assertThat(ranges.size()).isEqualTo(1);
        assertThat(ranges.covers(0, 400)).isTrue();
        assertThat(ranges.covers(0, 401)).isFalse();
    }

    @Test
    void removingForgetsExactlyTheBytesGiven() {
        // proves: a corrupt range or a cut file is no longer covered, the rest still is
        VerifiedRanges ranges = new VerifiedRanges();
        ranges.add(0, 1000);
        ranges.remove(200, 300);
        assertThat(ranges.covers(0, 200)).isTrue();
        assertThat(ranges.covers(199, 201)).isFalse();
        assertThat(ranges.covers(300, 1000)).isTrue();
        ranges.removeFrom(500);
        assertThat(ranges.covers(300, 500)).isTrue();
        assertThat(ranges.covers(300, 501)).isFalse();
    }

    @Test
    void atTheLimitNewRangesAreNotRecorded() {
        // proves: memory is bounded (MAX_RANGES); an unrecorded range is simply checked again later
        VerifiedRanges ranges = new VerifiedRanges();
        for (int i = 0; i < VerifiedRanges.MAX_RANGES + 10; i++) {
            ranges.add(i * 10, i * 10 + 5);
        }
        assertThat(ranges.size()).isEqualTo(VerifiedRanges.MAX_RANGES);
        assertThat(ranges.covers(VerifiedRanges.MAX_RANGES * 10 + 20, VerifiedRanges.MAX_RANGES * 10 + 25)).isFalse();
        ranges.add(0, 20); // extending a recorded range still works at the limit
        assertThat(ranges.covers(0, 20)).isTrue();
    }
}
