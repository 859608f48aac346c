# node-gyp build of the addon, used when the package is installed from its
# tarball. native/sources.gypi (the core's sources, grouped by compiler flags)
# and src/shardline_wrap.cxx are written by scripts/prepack.js at pack time.
{
  "includes": ["native/sources.gypi"],
  "targets": [
    {
      "target_name": "shardline",
      "sources": ["src/shardline_wrap.cxx", "src/shardline_node.cc"],
      "dependencies": ["<@(shardline_core_libs)"],
      "include_dirs": [
        "native/include",
        "native/core/include",
        "src",
        "<!(node -p \"require('node-addon-api').include_dir\")"
      ],
      "defines": ["NAPI_VERSION=8"],
      "cflags_cc": ["-std=c++17", "-fvisibility=hidden"],
      "xcode_settings": {"OTHER_CPLUSPLUSFLAGS": ["-std=c++17", "-fvisibility=hidden"]}
    }
  ]
}
