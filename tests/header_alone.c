/* header_alone.c - shardline.h must compile on its own (built as C99 and as C11). */
#include "shardline.h"

int main(void)
{
    shardline_options options;
    shardline_options_init(&options);
    shardline_view view = {0, 0};
    (void)view;
    return shardline_version() == SHARDLINE_VERSION_NUMBER ? 0 : 1;
}
