package dev.caravan.common.web;

import java.util.List;
import java.util.function.Function;

/** A page of results in the shape every list endpoint returns. */
public record PageResponse<T>(List<T> content, long totalElements, int page, int size, int totalPages) {

    public static <T> PageResponse<T> of(List<T> content, long totalElements, int page, int size) {
        int totalPages = size == 0 ? 0 : (int) ((totalElements + size - 1) / size);
        return new PageResponse<>(content, totalElements, page, size, totalPages);
    }

    public <R> PageResponse<R> map(Function<T, R> mapper) {
        return new PageResponse<>(content.stream().map(mapper).toList(), totalElements, page, size, totalPages);
    }
}
