package dev.headroom.catalog;

import dev.headroom.common.Format;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Collects the problems of one catalog entry. Each check names the field and the rule in words a user can act
 * on; checks never stop at the first failure, so a user fixes a file in one pass.
 */
final class Rules {
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]*");

    private final String file;
    private final String entry;
    private final List<Problem> problems = new ArrayList<>();

    Rules(String file, String entry) {
        this.file = file;
        this.entry = entry;
    }

    List<Problem> problems() {
        return problems;
    }

    /** Records a problem once: the same rule broken twice (by two groups of one pattern) is one message. */
    void fail(String field, Object value, String rule) {
        Problem problem = new Problem(file, entry, field, value, rule);
        if (!problems.contains(problem)) {
            problems.add(problem);
        }
    }

    /** Whether a problem was already recorded for this field, so checks against it would only repeat it. */
    boolean failed(String field) {
        return problems.stream().anyMatch(p -> field.equals(p.field()));
    }

    boolean present(String field, Object value) {
        boolean blank = value == null || (value instanceof String text && text.isBlank());
        if (blank) {
            fail(field, null, "is required");
        }
        return !blank;
    }

    void id(String field, String value) {
        if (present(field, value) && !ID.matcher(value).matches()) {
            fail(field, value, "must be lower-case letters, digits, '.', '-' or '_', starting with a letter or digit");
        }
    }

    /** A required number in [min, max]. */
    void range(String field, Number value, double min, double max) {
        if (present(field, value)) {
            optionalRange(field, value, min, max);
        }
    }

    /** A number in [min, max] when present. */
    void optionalRange(String field, Number value, double min, double max) {
        if (value != null && (value.doubleValue() < min || value.doubleValue() > max || Double.isNaN(value.doubleValue()))) {
            fail(field, value, "must be between " + Format.plain(min) + " and " + Format.plain(max));
        }
    }

    void date(String field, String value) {
        if (present(field, value)) {
            try {
                LocalDate.parse(value);
            } catch (DateTimeParseException e) {
                fail(field, value, "must be an ISO date (YYYY-MM-DD)");
            }
        }
    }

    /** Every figure group the entry has must be backed by a source with a date. */
    void sources(List<Source> sources, List<String> requiredGroups) {
        if (sources.isEmpty()) {
            fail("sources", null, "must list at least one source with a title or url and a date");
            return;
        }
        for (int i = 0; i < sources.size(); i++) {
            Source source = sources.get(i);
            String field = "sources[" + i + "]";
            if ((source.title() == null || source.title().isBlank()) && (source.url() == null || source.url().isBlank())) {
                fail(field + ".title", null, "a source needs a title or a url");
            }
            date(field + ".date", source.date());
            if (source.covers().isEmpty()) {
                fail(field + ".covers", null, "must name the figure groups this source backs");
            }
        }
        for (String group : requiredGroups) {
            boolean covered = sources.stream().anyMatch(s -> s.covers().contains(group));
            if (!covered) {
                fail("sources", group, "no source covers the '" + group + "' figures");
            }
        }
    }
}
