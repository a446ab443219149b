package io.nsscope.web.text;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.AbstractHttpMessageConverter;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.stereotype.Component;

/** Writes {@link PlainText} bodies as {@code text/plain; charset=UTF-8}. Boot registers it with the others. */
@Component
class PlainTextConverter extends AbstractHttpMessageConverter<PlainText> {

    PlainTextConverter() {
        super(StandardCharsets.UTF_8, new MediaType("text", "plain", StandardCharsets.UTF_8));
    }

    @Override
    protected boolean supports(Class<?> clazz) {
        return PlainText.class.isAssignableFrom(clazz);
    }

    @Override
    protected boolean canRead(MediaType mediaType) {
        return false;
    }

    @Override
    protected PlainText readInternal(Class<? extends PlainText> clazz, HttpInputMessage inputMessage) {
        throw new HttpMessageNotReadableException("plain text is an output format only", inputMessage);
    }

    @Override
    protected void writeInternal(PlainText body, HttpOutputMessage outputMessage) throws IOException {
        outputMessage.getBody().write(body.toPlainText().getBytes(StandardCharsets.UTF_8));
    }
}
