package dev.ferry.sqlite.convert;

/**
 * What happens to one source column: read at {@code sourceIndex} of the row, converted
 * by {@code transform}, written to {@code targetName} of type {@code targetType}. A
 * NULL becomes {@code fill} when the mapping gives one. {@code sourceIndex} is -1 for a
 * target column that only a fill-in provides.
 */
public record ColumnPlan(String sourceName, int sourceIndex, String targetName, String targetType, TargetKind kind,
                         Transform transform, String fill, boolean notNull, String rule) {
}
