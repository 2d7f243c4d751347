import httpx
import requests
from urllib.request import urlopen


def rates(url, params):
    return requests.get(url, params=params, timeout=10).json()


def ping(url):
    return requests.head(url, timeout=10)


def push(url, payload):
    requests.post(
        url,
        json=payload,
        timeout=10,
    )
    return httpx.get(url)  # httpx has a default timeout: not reported, not fixed


def page(url):
    return urlopen(url, timeout=10).read()


def empty():
    return requests.get("https://example.com", timeout=10 )
