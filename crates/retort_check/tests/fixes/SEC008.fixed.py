import requests


def first(url):
    return requests.get(url, timeout=5)


def last(url):
    return requests.get(url, timeout=5)


def multiline(url):
    return requests.post(
        url,
        timeout=5,
    )


def only():
    return requests.Session().get()
