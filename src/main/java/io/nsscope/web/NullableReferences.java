package io.nsscope.web;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.stereotype.Component;

/**
 * Makes nullable object properties honest in the OpenAPI 3.1 document. For a property whose type is another schema
 * and that is {@code @Schema(nullable = true)}, springdoc writes {@code {"type": "null", "$ref": ...}}, which in JSON
 * Schema 2020-12 means "null <em>and</em> that object", which no value is. This rewrites such a property to
 * {@code {"anyOf": [{"$ref": ...}, {"type": "null"}], "description": ...}}.
 */
@Component
class NullableReferences implements OpenApiCustomizer {

    @Override
    public void customise(OpenAPI openApi) {
        if (openApi.getComponents() == null || openApi.getComponents().getSchemas() == null) {
            return;
        }
        for (Schema<?> schema : openApi.getComponents().getSchemas().values()) {
            Map<String, Schema> properties = schema.getProperties();
            if (properties == null) {
                continue;
            }
            properties.replaceAll((name, property) -> rewrite(property));
        }
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static Schema rewrite(Schema property) {
        if (property.get$ref() == null) {
            return property;
        }
        Set<String> types = property.getTypes();
        boolean nullable = Boolean.TRUE.equals(property.getNullable()) || (types != null && types.contains("null"));
        if (!nullable) {
            return property;
        }
        Schema reference = new Schema<>().$ref(property.get$ref());
        Schema none = new Schema<>();
        none.addType("null");
        Schema result = new Schema<>();
        result.setAnyOf(List.of(reference, none));
        result.setDescription(property.getDescription());
        return result;
    }
}
