package dev.headroom.sizing;

import java.util.List;

/** A scenario the engine cannot size; one line per problem, each naming the field, the value and the rule. */
public class ScenarioException extends IllegalArgumentException {
    private final List<String> problems;

    public ScenarioException(List<String> problems) {
        super(String.join(System.lineSeparator(), problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
