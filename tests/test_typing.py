"""The type stub of the C++ module (python/w2vfast/_core.pyi) says what the compiled module has: the same names,
the same members and the same parameters, so that type checkers and editors never see an API that drifted."""

import ast
import inspect
import os
import re

import pytest

import w2vfast
from w2vfast import _core

STUB = os.path.join(os.path.dirname(w2vfast.__file__), "_core.pyi")
# Members pybind11 adds to every module and class, which no stub lists.
IMPLICIT = {"_pybind11_conduit_v1_"}


def parameter_names(arguments: ast.arguments):
    names = [argument.arg for argument in arguments.posonlyargs + arguments.args]
    if arguments.kwonlyargs:
        names += ["*"] + [argument.arg for argument in arguments.kwonlyargs]
    return [name for name in names if name != "self"]


def stub_api():
    """{name: parameter names} for functions, {name: {member: parameters or 'property'}} for classes, and the
    names of constants, as the stub declares them."""
    tree = ast.parse(open(STUB, encoding="utf-8").read())
    functions, classes, constants = {}, {}, set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            functions[node.name] = parameter_names(node.args)
        elif isinstance(node, ast.AnnAssign):
            constants.add(node.target.id)
        elif isinstance(node, ast.ClassDef):
            members = {}
            for item in node.body:
                if isinstance(item, ast.FunctionDef):
                    is_property = any(getattr(d, "id", None) == "property" for d in item.decorator_list)
                    members[item.name] = "property" if is_property else parameter_names(item.args)
            classes[node.name] = members
    return functions, classes, constants


def signature_parameters(function):
    """Parameter names from the signature pybind11 writes as the first line of a function's docstring."""
    first_line = function.__doc__.splitlines()[0]
    inside = first_line[first_line.index("(") + 1 : first_line.rindex(")")]
    depth, names, current = 0, [], ""
    for character in inside + ",":
        if character == "," and depth == 0:
            if current.strip():
                names.append(re.match(r"\s*(\*|\w+)", current).group(1))
            current = ""
            continue
        depth += character in "[(" and 1 or 0
        depth -= character in "])" and 1 or 0
        current += character
    return [name for name in names if name != "self"]


def module_api():
    functions, classes, constants = {}, {}, set()
    for name, value in vars(_core).items():
        if name.startswith("__") or name in IMPLICIT:
            continue
        if inspect.isclass(value):
            members = {}
            for member, attribute in vars(value).items():
                if member in IMPLICIT or (member.startswith("__") and member not in ("__init__", "__len__")):
                    continue
                if type(attribute).__name__ == "wrapper_descriptor":
                    continue  # Python's own __init__ slot: a class the module gives no constructor
                if isinstance(attribute, property):
                    members[member] = "property"
                else:
                    members[member] = signature_parameters(getattr(value, member))
            classes[name] = members
        elif callable(value):
            functions[name] = signature_parameters(value)
        else:
            constants.add(name)
    return functions, classes, constants


def test_the_stub_declares_every_function_of_the_module_with_its_parameters():
    assert stub_api()[0] == module_api()[0]


def test_the_stub_declares_every_class_with_its_members_and_their_parameters():
    stub_classes, module_classes = stub_api()[1], module_api()[1]
    assert sorted(stub_classes) == sorted(module_classes)
    for name in module_classes:
        assert stub_classes[name] == module_classes[name], name


def test_the_stub_declares_every_constant_of_the_module():
    assert stub_api()[2] == module_api()[2]


def test_the_package_is_marked_as_typed():
    assert os.path.exists(os.path.join(os.path.dirname(w2vfast.__file__), "py.typed"))
