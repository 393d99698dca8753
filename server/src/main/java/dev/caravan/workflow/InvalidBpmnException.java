package dev.caravan.workflow;

import java.util.List;

/** A journey upload that cannot be deployed: answered with 422 and every problem found. */
public class InvalidBpmnException extends RuntimeException {

    /** One problem, with the BPMN element and line when known. */
    public record Problem(String message, String element, Integer line) {
    }

    private final List<Problem> problems;

    public InvalidBpmnException(String message, List<Problem> problems) {
        super(message);
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
