package dev.headroom.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HeapTrimTest {
    private static final long MIB = 1 << 20;

    @Test
    void trimsAHeapThatGrewPastTheFloorAndTwiceWhatTheLastTrimLeft() {
        assertThat(HeapTrim.shouldTrim(400 * MIB, 0)).as("the exporter after a burst").isTrue();
        assertThat(HeapTrim.shouldTrim(40 * MIB, 0)).as("below the floor").isFalse();
        assertThat(HeapTrim.shouldTrim(HeapTrim.FLOOR_BYTES + 1, 0)).isTrue();
        assertThat(HeapTrim.shouldTrim(70 * MIB, 40 * MIB)).as("an idle heap after a trim").isFalse();
        assertThat(HeapTrim.shouldTrim(81 * MIB, 40 * MIB)).as("grown again").isTrue();
    }
}
