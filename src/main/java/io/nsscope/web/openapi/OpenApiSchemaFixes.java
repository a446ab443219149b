package io.nsscope.web.openapi;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.stereotype.Component;

/**
 * Makes {@code /v3/api-docs} say exactly what the server emits (the OpenAPI conformance test holds both to it):
 * <ul>
 * <li>Every property of nsscope's response schemas is required: the views are records that Jackson writes whole,
 * nulls included, so every declared property is always in the body. springdoc marks none required by itself. The
 * problem schemas keep their own lists: Jackson leaves out a problem's null members.</li>
 * <li>A nullable property that refers to another schema becomes {@code anyOf: [{$ref}, {type: null}]}. springdoc 3
 * writes it as {@code {type: null, $ref: ...}}, which under OpenAPI 3.1's JSON Schema 2020-12 means "null and an
 * object at once", a schema that no value meets.</li>
 * <li>A nullable property with allowed values lists {@code null} among them: JSON Schema's {@code enum} is checked
 * whatever the {@code type} allows, so without it a null value would not meet the schema.</li>
 * <li>The {@code text/plain} form of a response is a string (a table or a drawing), not the JSON schema springdoc
 * copies to every media type; a {@code 304 Not Modified} has no body at all.</li>
 * </ul>
 */
@Component
class OpenApiSchemaFixes implements OpenApiCustomizer {

    /**
     * Schemas whose members may be absent: problems, and a namespace's details (only its own type's object is
     * written).
     */
    private static final Set<String> OPTIONAL_MEMBERS =
            Set.of("Problem", "ProblemDetail", "SseEmitter", "NamespaceDetails");

    @Override
    public void customise(OpenAPI openApi) {
        if (openApi.getPaths() != null) {
            openApi.getPaths()
                    .values()
                    .forEach(path -> path.readOperations().forEach(operation -> {
                        if (operation.getResponses() == null) {
                            return;
                        }
                        operation.getResponses().forEach((status, response) -> {
                            if ("304".equals(status)) {
                                response.setContent(null);
                            } else if (response.getContent() != null
                                    && response.getContent().containsKey("text/plain")) {
                                Schema<String> text = new Schema<>();
                                text.setTypes(Set.of("string"));
                                text.setDescription("The plain-text rendering of the JSON form, for curl users.");
                                // A new media type object: springdoc shares one between application/json and
                                // text/plain.
                                response.getContent()
                                        .put("text/plain", new io.swagger.v3.oas.models.media.MediaType().schema(text));
                            }
                        });
                    }));
        }
        if (openApi.getComponents() == null || openApi.getComponents().getSchemas() == null) {
            return;
        }
        openApi.getComponents().getSchemas().forEach((name, schema) -> {
            Map<String, Schema> properties = schema.getProperties();
            if (properties == null || properties.isEmpty()) {
                return;
            }
            properties.replaceAll((property, s) -> nullableRef(s));
            if (!OPTIONAL_MEMBERS.contains(name)) {
                schema.setRequired(new ArrayList<>(properties.keySet()));
            }
        });
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static Schema nullableRef(Schema schema) {
        boolean nullable = Boolean.TRUE.equals(schema.getNullable())
                || (schema.getTypes() != null && schema.getTypes().contains("null"))
                || "null".equals(schema.getType());
        if (nullable && schema.getEnum() != null && !schema.getEnum().contains(null)) {
            List<Object> values = new ArrayList<>(schema.getEnum());
            values.add(null);
            schema.setEnum(values);
        }
        if (schema.get$ref() == null || !nullable) {
            return schema;
        }
        Schema nullType = new Schema<>();
        nullType.setTypes(Set.of("null"));
        Schema any = new Schema<>();
        any.setAnyOf(List.of(new Schema<>().$ref(schema.get$ref()), nullType));
        any.setDescription(schema.getDescription());
        return any;
    }
}
