from flask import Flask

app = Flask(__name__)
app.debug = True


class ProductionConfig:
    DEBUG = True


if __name__ == "__main__":
    app.run(host="0.0.0.0", debug=True)
