package dev.ferry.bot.transform;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Maps one source record of a bot file to the row values it becomes, or rejects it. */
@FunctionalInterface
public interface RecordMapper {

    StagedRecord map(String kind, int recordNo, String path, int line, ObjectNode record) throws BadValueException;
}
