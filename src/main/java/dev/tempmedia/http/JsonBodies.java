package dev.tempmedia.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tempmedia.io.Json;
import dev.tempmedia.wechat.ErrorCode;
import dev.tempmedia.wechat.WeChatException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;

/** Reads a small JSON request body, refusing one over a cap before holding more of it than that. */
public final class JsonBodies {
  private static final ObjectMapper JSON = Json.MAPPER;

  private JsonBodies() {}

  /** Reads the body and keeps its text on the exchange for rid/get (the body is at most {@code maxBytes}). */
  public static Future<JsonNode> readKept(Exchange ex, int maxBytes) {
    return read(ex.request(), maxBytes, ex::requestBody);
  }

  public static Future<JsonNode> read(HttpServerRequest request, int maxBytes) {
    return read(request, maxBytes, text -> {});
  }

  private static Future<JsonNode> read(
      HttpServerRequest request, int maxBytes, java.util.function.Consumer<String> keep) {
    String declared = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (declared != null && parseLength(declared) > maxBytes) {
      return Future.failedFuture(tooLarge(maxBytes));
    }
    Promise<JsonNode> promise = Promise.promise();
    Buffer body = Buffer.buffer();
    request.handler(chunk -> {
      if (body.length() + chunk.length() > maxBytes) {
        promise.tryFail(tooLarge(maxBytes));
        return;
      }
      body.appendBuffer(chunk);
    });
    // A body that is not valid HTTP (a broken chunk size) is the client's error, not a system
    // error.
    request.exceptionHandler(e -> promise.tryFail(new WeChatException(
        ErrorCode.DATA_FORMAT_ERROR, "the request body could not be read: " + e.getMessage())));
    request.endHandler(v -> {
      if (body.length() == 0) {
        promise.tryFail(new WeChatException(
            ErrorCode.DATA_FORMAT_ERROR, "the request body is empty; a JSON object is expected"));
        return;
      }
      keep.accept(body.toString(java.nio.charset.StandardCharsets.UTF_8));
      try {
        JsonNode node = JSON.readTree(body.getBytes());
        if (node == null || !node.isObject()) {
          promise.tryFail(new WeChatException(
              ErrorCode.DATA_FORMAT_ERROR, "the request body is JSON but not an object"));
        } else {
          promise.tryComplete(node);
        }
      } catch (IOException e) {
        promise.tryFail(new WeChatException(
            ErrorCode.DATA_FORMAT_ERROR,
            "the request body is not valid JSON: "
                + e.getMessage().lines().findFirst().orElse("")));
      }
    });
    return promise.future();
  }

  private static long parseLength(String header) {
    try {
      return Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static WeChatException tooLarge(int maxBytes) {
    return new WeChatException(
        ErrorCode.DATA_FORMAT_ERROR, "the JSON body is larger than " + maxBytes + " bytes");
  }
}
