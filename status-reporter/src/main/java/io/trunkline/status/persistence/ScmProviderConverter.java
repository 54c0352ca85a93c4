package io.trunkline.status.persistence;

import io.trunkline.events.ScmProvider;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Stores a provider by its public id ({@code bitbucket-cloud}), as events and APIs name it. */
@Converter
public class ScmProviderConverter implements AttributeConverter<ScmProvider, String> {

    @Override
    public String convertToDatabaseColumn(ScmProvider provider) {
        return provider == null ? null : provider.id();
    }

    @Override
    public ScmProvider convertToEntityAttribute(String id) {
        return id == null ? null : ScmProvider.fromId(id);
    }
}
