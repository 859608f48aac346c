// header_alone.cpp - shardline.h must compile on its own as C++ and link with C linkage.
#include "shardline.h"

int main()
{
    shardline_options options;
    shardline_options_init(&options);
    shardline_error error;
    shardline_status status = shardline_json_validate("[1]", 3, &options, &error);
    return status == SHARDLINE_OK && shardline_version() == SHARDLINE_VERSION_NUMBER ? 0 : 1;
}
