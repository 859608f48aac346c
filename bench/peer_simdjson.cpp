// peer_simdjson.cpp - the simdjson side of bench_core (see peer_simdjson.h).
#include "peer_simdjson.h"

#include <new>
#include <string>
#include <string_view>

#include <simdjson.h>

struct peer_simdjson {
    simdjson::padded_string text;
    simdjson::ondemand::parser ondemand;
    simdjson::dom::parser dom;
};

extern "C" peer_simdjson *peer_simdjson_new(const char *json, size_t len)
{
    peer_simdjson *peer = new (std::nothrow) peer_simdjson;
    if (peer == nullptr)
        return nullptr;
    peer->text = simdjson::padded_string(json, len);
    if (peer->text.size() != len || peer->ondemand.allocate(len) != simdjson::SUCCESS ||
        peer->dom.allocate(len) != simdjson::SUCCESS) {
        delete peer;
        return nullptr;
    }
    return peer;
}

extern "C" void peer_simdjson_free(peer_simdjson *peer)
{
    delete peer;
}

extern "C" const char *peer_simdjson_version(void)
{
    static const std::string version = std::to_string(simdjson::SIMDJSON_VERSION_MAJOR) + "." +
                                       std::to_string(simdjson::SIMDJSON_VERSION_MINOR) + "." +
                                       std::to_string(simdjson::SIMDJSON_VERSION_REVISION);
    return version.c_str();
}

extern "C" const char *peer_simdjson_implementation(void)
{
    static const std::string name = simdjson::get_active_implementation()->name();
    return name.c_str();
}

extern "C" bool peer_simdjson_ondemand_kinesis_data(peer_simdjson *peer, size_t *records,
                                                     size_t *text_bytes)
{
    size_t count = 0, bytes = 0;
    simdjson::ondemand::document doc;
    if (peer->ondemand.iterate(peer->text).get(doc) != simdjson::SUCCESS)
        return false;
    simdjson::ondemand::array list;
    if (doc["Records"].get_array().get(list) != simdjson::SUCCESS)
        return false;
    for (auto element : list) {
        simdjson::ondemand::object record;
        if (element.get_object().get(record) != simdjson::SUCCESS)
            return false;
        simdjson::ondemand::value data;
        if (record["kinesis"]["data"].get(data) != simdjson::SUCCESS)
            return false;
        if (text_bytes != nullptr) {
            // The check before timing: the string itself, unescaped.
            std::string_view text;
            if (data.get_string().get(text) != simdjson::SUCCESS)
                return false;
            bytes += text.size();
        } else {
            // The timed run: reach the string and no further.
            simdjson::ondemand::raw_json_string raw;
            if (data.get_raw_json_string().get(raw) != simdjson::SUCCESS)
                return false;
        }
        count++;
    }
    *records = count;
    if (text_bytes != nullptr)
        *text_bytes = bytes;
    return true;
}

extern "C" bool peer_simdjson_dom_parse(peer_simdjson *peer, size_t *records)
{
    simdjson::dom::element doc;
    if (peer->dom.parse(peer->text).get(doc) != simdjson::SUCCESS)
        return false;
    simdjson::dom::array list;
    if (doc["Records"].get_array().get(list) != simdjson::SUCCESS)
        return false;
    *records = list.size();
    return true;
}
