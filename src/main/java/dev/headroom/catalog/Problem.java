package dev.headroom.catalog;

/**
 * One validation failure, precise enough to fix without opening the code: the file, the entry, the field,
 * the offending value and the rule it broke.
 */
public record Problem(String file, String entry, String field, Object value, String rule) {

    public String message() {
        StringBuilder text = new StringBuilder(file);
        if (entry != null) {
            text.append(": entry \"").append(entry).append('"');
        }
        if (field != null) {
            text.append(": field ").append(field);
            text.append(" = ").append(value == null ? "(missing)" : value);
        }
        return text.append(": ").append(rule).toString();
    }

    @Override
    public String toString() {
        return message();
    }
}
