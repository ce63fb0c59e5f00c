package dev.headroom.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Jackson 2's own messages, as a hostile-input run collected them from plans and user catalogs (issue 13). */
class JsonErrorsTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Cannot deserialize value of type `java.lang.Integer` from String \"twenty\": not a valid `java.lang.Integer` value"
            + "|expected a whole number, not the text \"twenty\"",
        "Cannot construct instance of `dev.headroom.sizing.Scenario$ModelSpec` (although at least one Creator exists):"
            + " no String-argument constructor/factory method to deserialize from String value ('x')"
            + "|expected an object with fields, not the value 'x'",
        "Non-standard token 'NaN': enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to allow"
            + "|NaN is not a number JSON allows; write a finite number",
        "Numeric value (1e309) out of range of int (-2147483648 - 2147483647)|1e309 is too large for a whole number",
        "Cannot deserialize value of type `dev.headroom.sizing.Workload` from String \"x\": not one of the values"
            + " accepted for Enum class: [inference, finetune, pretrain]"
            + "|expected one of inference, finetune, pretrain, not the text \"x\"",
        "No content to map due to end-of-input|the file is empty",
        "Cannot deserialize value of type `dev.headroom.sizing.Scenario` from Array value (token `JsonToken.START_ARRAY`)"
            + "|expected Scenario, not a list",
        "Cannot deserialize value of type `dev.headroom.sizing.Workload` from number 5: index value outside legal index"
            + " range [0..2]|expected Workload by name, not the number 5",
        "Unrecognized field \"format\" (class dev.headroom.sizing.Scenario), not marked as ignorable (11 known"
            + " properties: \"model\", \"workload\"])|unknown field \"format\""})
    void jacksonsMessagesReadWithoutJavaNames(String jackson, String readable) {
        assertThat(JsonErrors.readable(jackson)).isEqualTo(readable);
    }

    @Test
    void noMessageStillSaysSomething() {
        assertThat(JsonErrors.readable(null)).isEqualTo("cannot be read");
    }
}
