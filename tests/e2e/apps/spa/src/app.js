document.getElementById("greeting").dataset.route = window.location.pathname;
