package dev.caravan.common.web;

/** One rejected input field: a path such as {@code customer.email} and what is wrong with it. */
public record FieldError(String field, String message) {
}
