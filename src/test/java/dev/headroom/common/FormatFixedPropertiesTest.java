package dev.headroom.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/** Format.fixed writes what String.format's %.Nf writes, without the formatter. */
class FormatFixedPropertiesTest {
    @Property(tries = 5000)
    void sameTextAsTheFormatter(@ForAll @DoubleRange(min = -1e7, max = 1e7) double value,
                                @ForAll @IntRange(min = 0, max = 3) int decimals) {
        assertThat(Format.fixed(value, decimals)).isEqualTo(String.format(Locale.ROOT, "%." + decimals + "f", value));
    }

    @Property(tries = 2000)
    void sameTextForMonitorSizedValues(@ForAll @DoubleRange(min = 0, max = 2000) double value,
                                       @ForAll @IntRange(min = 0, max = 1) int decimals) {
        assertThat(Format.fixed(value, decimals)).isEqualTo(String.format(Locale.ROOT, "%." + decimals + "f", value));
    }

    @Example
    void halvesEdgesAndOddValues() {
        double[] values = {0, -0.0, 0.5, 1.5, 2.5, -0.4, -0.5, 0.15, 0.25, 0.35, 1.005, 79.6484375, 999.95, 9.995,
            1e15, -1e16, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE};
        for (double value : values) {
            for (int decimals = 0; decimals <= 3; decimals++) {
                assertThat(Format.fixed(value, decimals)).as(value + " with " + decimals)
                        .isEqualTo(String.format(Locale.ROOT, "%." + decimals + "f", value));
            }
        }
    }

    @Property(tries = 3000)
    void thousandsAsTheFormatterGroupsThem(@ForAll long value) {
        assertThat(Format.thousands(value)).isEqualTo(String.format(Locale.ROOT, "%,d", value));
    }
}
