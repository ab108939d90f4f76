package dev.ferry.schema;

import dev.ferry.core.schema.SchemaResult;
import dev.ferry.core.schema.project.SchemaProject;

/** A request with its project read and checked; {@code refused} holds the reason when it cannot go on. */
public record SchemaPlan(SchemaRequest request, SchemaProject project, SchemaResult refused) {
}
