import requests


def first(url):
    return requests.get(url, verify=False, timeout=5)


def last(url):
    return requests.get(url, timeout=5, verify=False)


def multiline(url):
    return requests.post(
        url,
        timeout=5,
        verify=False,
    )


def only():
    return requests.Session().get(verify=False)
