from flask import Flask

app = Flask(__name__)
app.debug = False


class ProductionConfig:
    DEBUG = False


if __name__ == "__main__":
    app.run(host="0.0.0.0", debug=False)
