/* shardline_py.h - the native fast paths of the Python binding, registered into the SWIG module. */
#ifndef SHARDLINE_PY_H
#define SHARDLINE_PY_H

#include <Python.h>

/* Add the native functions and record types to the SWIG-generated module
 * (called from its %init block). Returns 0, or -1 with an exception set. */
int shardline_py_init(PyObject *module);

#endif /* SHARDLINE_PY_H */
