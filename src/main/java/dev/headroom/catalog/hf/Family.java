package dev.headroom.catalog.hf;

import dev.headroom.catalog.ModelArchitecture;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * How one model_type's config keys map onto the architecture, with the defaults of its transformers configuration
 * class (only keys the readers use; taken from the class, see the research notes cited by each reader).
 */
record Family(HfConfig.Defaults defaults, Function<HfConfig, ModelArchitecture> reader) {

    static HfConfig.Defaults defaults(String className, Object... keysAndValues) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            values.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return new HfConfig.Defaults(className, Map.copyOf(values));
    }
}
