package dev.headroom.common;

/**
 * Jackson's messages in the user's words: they name Java types ("`java.lang.Integer`", "ModelSpec"), parser
 * features ("enable ALLOW_NON_NUMERIC_NUMBERS") and tokens ("START_ARRAY"), none of which tell a person what to
 * change in the file. Used for plans and catalogs alike, so a mistake reads the same in both.
 */
public final class JsonErrors {
    private JsonErrors() {
    }

    public static String readable(String message) {
        if (message == null) {
            return "cannot be read";
        }
        return message.replaceAll("\\s*\\(class [^)]*\\)", "").replaceAll("\\s+", " ")
                .replaceAll("^No content to map due to end-of-input.*", "the file is empty")
                .replaceAll("^Non-standard token '([^']*)'.*", "$1 is not a number JSON allows; write a finite number")
                .replaceAll("^Numeric value \\(([^)]*)\\) out of range of (?:int|long).*",
                        "$1 is too large for a whole number")
                .replaceAll("^Unrecognized field \"([^\"]*)\".*", "unknown field \"$1\"")
                .replaceAll("^Cannot construct instance of .*deserialize from \\w+ value \\(([^)]*)\\).*",
                        "expected an object with fields, not the value $1")
                .replaceAll("`(?:java\\.lang\\.)?(?:Integer|Long|int|long|Short|short)`", "a whole number")
                .replaceAll("`(?:java\\.lang\\.)?(?:Double|Float|double|float)`", "a number")
                .replaceAll("`(?:java\\.lang\\.)?(?:Boolean|boolean)`", "true or false")
                .replaceAll("`java\\.lang\\.String`", "text")
                .replaceAll("`(?:[a-zA-Z_][\\w]*\\.)+(?:[A-Z]\\w*\\$)?([A-Z]\\w*)`", "$1")
                .replaceAll("(?:java|dev|com)\\.[\\w.$]+\\.([A-Z]\\w*)", "$1")
                .replaceAll("problem: Cannot invoke .*", "problem: a value is missing (null)")
                .replaceAll("Cannot deserialize value of type .+? from String (\"[^\"]*\"): not one of the values accepted"
                        + " for Enum class: \\[(.*)\\].*", "expected one of $2, not the text $1")
                .replaceAll("Cannot deserialize value of type (.+?) from String (\"[^\"]*\").*", "expected $1, not the text $2")
                .replaceAll("Cannot deserialize value of type (.+?) from Array value.*", "expected $1, not a list")
                .replaceAll("Cannot deserialize value of type (.+?) from Object value.*", "expected $1, not an object")
                .replaceAll("Cannot deserialize value of type (.+?) from number (\\S+): index value outside.*",
                        "expected $1 by name, not the number $2")
                .replace("Cannot deserialize value of type", "expected")
                .replaceAll("not a valid (a whole number|a number|true or false|text) value", "not $1")
                .replace("for Enum class", "");
    }
}
