package dev.headroom.catalog;

import java.util.List;

/** A catalog file that cannot be used: it does not parse, or its entries break the rules. */
public class CatalogException extends RuntimeException {
    private final List<Problem> problems;

    public CatalogException(List<Problem> problems) {
        super(joined(problems));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }

    private static String joined(List<Problem> problems) {
        StringBuilder text = new StringBuilder();
        for (Problem problem : problems) {
            if (text.length() > 0) {
                text.append(System.lineSeparator());
            }
            text.append(problem.message());
        }
        return text.toString();
    }
}
